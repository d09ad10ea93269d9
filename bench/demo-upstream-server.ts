/**
 * The demo clinic as a plain GraphQL server of its own (no @pii, no gateway), for measuring the
 * gateway in front of an upstream against that upstream alone. Prints its URL on stdout.
 */
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { generateClinic } from '../src/demo/clinic-data.js';
import { clinicResolvers } from '../src/demo/clinic-resolvers.js';
import { createHttpServer } from '../src/http/http-server.js';
import { createLogger } from '../src/log.js';
import { loadTypeDefs } from '../src/schema-files.js';

const { pii, demo } = loadTypeDefs();
const apollo = new ApolloServer({
  schema: makeExecutableSchema({ typeDefs: [pii, demo], resolvers: [clinicResolvers(generateClinic())] }),
  plugins: [ApolloServerPluginCacheControlDisabled()],
});
await apollo.start();
const server = createHttpServer({ apollo, createContext: async () => ({}) }, { maxBodyBytes: 1024 * 1024, logger: createLogger('silent') });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql\n`);
});
process.on('SIGTERM', () => process.exit(0));
