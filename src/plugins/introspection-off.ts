import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses `__schema` and `__type` (production, unless INTROSPECTION=on), saying how an operator
 * turns introspection on. It stands in for Apollo's own rule (`introspection: false`), which
 * tells the client to "pass introspection: true to ApolloServer": nothing a user of the gateway
 * can do. `__typename` stays allowed, as there.
 */
export const introspectionOffRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(new GraphQLError('Introspection is off on this gateway; its operator can turn it on with INTROSPECTION=on', { nodes: node }));
    }
  },
});
