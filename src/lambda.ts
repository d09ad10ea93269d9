/**
 * AWS Lambda entry behind API Gateway (HTTP API, payload format 2.0): the same app as the HTTP
 * server (schema, vault, plugins, authentication), built once per Lambda instance. Configure it
 * with the same environment variables; production needs PII_MASTER_KEY, AUTH_* and a DynamoDB
 * table (docs/DEPLOY-LAMBDA.md).
 */
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';
import { loadConfig } from './config.js';
import { ErrorCode } from './errors/gateway-error.js';
import { INEXACT_INTEGER_ADVICE, inexactIntegerAt, inexactIntegerParameter } from './json-numbers.js';
import type { GatewayContext } from './context.js';
import { createLogger } from './log.js';
import { openGateway } from './open-gateway.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const { app } = await openGateway(config, logger, { startApollo: false });

// The integration is CommonJS and types ApolloServer from @apollo/server's CJS declarations; the
// instance is the same class at runtime, only its declarations differ.
type CjsApolloServer = Parameters<typeof startServerAndCreateLambdaHandler<ReturnType<typeof handlers.createAPIGatewayProxyEventV2RequestHandler>, GatewayContext>>[0];

const apolloHandler = startServerAndCreateLambdaHandler(app.apollo as unknown as CjsApolloServer, handlers.createAPIGatewayProxyEventV2RequestHandler(), {
  context: async ({ event }) =>
    app.createContext(new Map(Object.entries(event.headers ?? {}).flatMap(([name, value]) => (value === undefined ? [] : [[name.toLowerCase(), value]])))),
});

/** As the HTTP server does: integers a double would round are refused before the integration reads them. */
export const handler: typeof apolloHandler = async (event, context, callback) => {
  const body = event.body !== undefined && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const parameter = inexactIntegerParameter((name) => event.queryStringParameters?.[name]);
  const where = body !== undefined && inexactIntegerAt(body) >= 0 ? 'the request body' : parameter && `the ${parameter} parameter`;
  if (where) {
    return {
      statusCode: 400,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ errors: [{ message: `An integer in ${where} ${INEXACT_INTEGER_ADVICE}`, extensions: { code: ErrorCode.BAD_REQUEST } }] }),
    };
  }
  // The integration's handler is async: it always returns the promise of its result.
  return apolloHandler(event, context, callback) as Exclude<ReturnType<typeof apolloHandler>, void>;
};
