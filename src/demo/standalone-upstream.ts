/**
 * The demo clinic as a plain GraphQL server of its own, without the gateway: an upstream to put
 * the gateway in front of (`UPSTREAM_URL=<its URL> UPSTREAM_SDL=schema/demo.graphql npm start`),
 * used by the gateway-mode tests and the benchmark. Listens on PORT (default: a free port) and
 * prints its URL on stdout.
 */
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { generateClinic } from './clinic-data.js';
import { clinicResolvers } from './clinic-resolvers.js';
import { createHttpServer } from '../http/http-server.js';
import { createLogger } from '../log.js';
import { loadTypeDefs } from '../schema-files.js';

const { pii, demo } = loadTypeDefs();
const apollo = new ApolloServer({
  schema: makeExecutableSchema({ typeDefs: [pii, demo], resolvers: [clinicResolvers(generateClinic())] }),
  plugins: [ApolloServerPluginCacheControlDisabled()],
});
await apollo.start();
const server = createHttpServer({ apollo, createContext: async () => ({}) }, { maxBodyBytes: 1024 * 1024, logger: createLogger('silent') });
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql\n`);
});
process.on('SIGTERM', () => process.exit(0));
