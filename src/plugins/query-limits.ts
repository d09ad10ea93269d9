import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions, ValidationRule } from 'graphql';

/** Limits on the GraphQL document itself, enforced before anything executes. */
export interface QueryLimits {
  /** Nesting of selection sets (introspection excepted). */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexer tokens in the document; the parser stops at the limit instead of building a huge AST. */
  maxTokens: number;
  /**
   * graphql-armor's static cost: objects 2, scalars 1, children weighted 1.5, a list field
   * multiplied by its literal `first`/`last` (1,000 rows x 3 fields costs 6,500).
   */
  maxCost: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 50,
  maxTokens: 10_000,
  maxCost: 50_000,
};

/**
 * graphql-armor (maintained, Apollo Server 4 and 5) for depth, aliases, directives and cost, as
 * validation rules. Tokens are graphql-js's own parser limit instead of armor's token plugin,
 * which parses every document a second time and reports a syntax error as a validation failure
 * with the wrong status. Armor's field-suggestion blocker is off: Apollo's
 * hideSchemaDetailsFromClientErrors does that in production, and development keeps them.
 */
export function queryLimitProtection(limits: QueryLimits): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[]; parseOptions: ParseOptions } {
  const { plugins, validationRules } = new ApolloArmor({
    blockFieldSuggestion: { enabled: false },
    maxTokens: { enabled: false },
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { maxCost: limits.maxCost },
  }).protect();
  return { plugins: plugins as ApolloServerPlugin[], validationRules, parseOptions: { maxTokens: limits.maxTokens } };
}
