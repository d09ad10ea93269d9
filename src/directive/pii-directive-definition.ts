import { buildSchema, type GraphQLDirective } from 'graphql';
import { loadTypeDefs } from '../schema-files.js';

let definition: GraphQLDirective | undefined;

/** The @pii directive of schema/pii.graphql, to coerce its arguments where no schema declares it. */
export function piiDirectiveDefinition(): GraphQLDirective {
  definition ??= buildSchema(loadTypeDefs().pii).getDirective('pii')!;
  return definition;
}
