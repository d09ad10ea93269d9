/**
 * AWS Lambda entry behind API Gateway (HTTP API, payload format 2.0): the same app as the HTTP
 * server (schema, vault, plugins, authentication), built once per Lambda instance. Configure it
 * with the same environment variables; production needs PII_MASTER_KEY, AUTH_* and a DynamoDB
 * table (docs/DEPLOY-LAMBDA.md).
 */
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import { loadConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { createLogger } from './log.js';
import { openGateway } from './open-gateway.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const { app } = await openGateway(config, logger, { startApollo: false });

// The integration is CommonJS and types ApolloServer from @apollo/server's CJS declarations; the
// instance is the same class at runtime, only its declarations differ.
type CjsApolloServer = Parameters<typeof startServerAndCreateLambdaHandler<ReturnType<typeof handlers.createAPIGatewayProxyEventV2RequestHandler>, GatewayContext>>[0];

export const handler = startServerAndCreateLambdaHandler(app.apollo as unknown as CjsApolloServer, handlers.createAPIGatewayProxyEventV2RequestHandler(), {
  context: async ({ event }) =>
    app.createContext(new Map(Object.entries(event.headers ?? {}).flatMap(([name, value]) => (value === undefined ? [] : [[name.toLowerCase(), value]])))),
});
