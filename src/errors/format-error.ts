import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { StoreUnavailableError } from '../store/token-store.js';
import { ErrorCode, GatewayError, isGatewayAuthored, storeUnavailable } from './gateway-error.js';

/** Codes graphql-js and Apollo give to errors in the client's request. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * Apollo's formatError: what a client sees of an error. The gateway's own errors pass as
 * written. graphql-js request errors keep their message minus any literal it quotes, since the
 * literal may be personal data. Anything else is an internal error whose message is withheld.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  const authored = authoredError(error);
  if (authored) {
    // String-keyed extensions but the HTTP status hint, which Apollo has already used.
    const extensions = Object.fromEntries(Object.entries(authored.extensions).filter(([key]) => key !== 'http'));
    return { message: authored.message, ...where, extensions };
  }
  if (original instanceof StoreUnavailableError) {
    const safe = storeUnavailable();
    return { message: safe.message, ...where, extensions: { code: safe.code } };
  }
  const code = formatted.extensions?.code;
  if (code === 'GRAPHQL_PARSE_FAILED' && causeOfType(error, RangeError)) {
    // graphql-js parses nested values recursively: some 1,500 levels of brackets in a literal
    // overflow the stack within the token limit, and "Maximum call stack size exceeded" helps no one.
    return { message: 'The document nests values too deep to parse; send deep values as variables', ...where, extensions: { code } };
  }
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    return { message: withoutLiterals(formatted.message), ...where, extensions: { code } };
  }
  return { message: 'Internal server error', ...where, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/**
 * The gateway's own error behind `error`, if any. graphql-js wraps errors thrown while coercing
 * variables in a new error whose message quotes the variable's value but whose extensions (our
 * marker included) are copied: so the GatewayError instance down the originalError chain is
 * preferred, and a marked error is trusted as it is only where no instance exists (graphql-tools'
 * delegation re-creates nested errors from our message and extensions).
 */
function authoredError(error: unknown): GraphQLError | undefined {
  const instance = causeOfType(error, GatewayError);
  if (instance) return instance;
  const original = unwrapResolverError(error);
  if (isGatewayAuthored(original) && !(original as { originalError?: unknown }).originalError) return original;
  return undefined;
}

/** The first error of `type` down the originalError chain that graphql-js and Apollo build. */
function causeOfType<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let at: unknown = error; at instanceof Error; at = (at as { originalError?: unknown }).originalError) {
    if (at instanceof type) return at;
  }
  return undefined;
}

const WITHHELD = '(value withheld)';

/**
 * graphql-js quotes the offending literal or variable value in some messages ("found ...",
 * "cannot represent ... value: ...", "got invalid value ...", "Unexpected String ..."). Those
 * tails are cut; names of fields, types and variables stay, as they help and are not data, and
 * so does a bare count ("depth limit of 12 exceeded, found 14.", from graphql-armor).
 */
export function withoutLiterals(message: string): string {
  return message
    .replace(/^(Variable "\$[^"]*" got invalid value)[\s\S]*$/, `$1 ${WITHHELD}.`)
    .replace(/^Value "[^"]*" does not exist in ("[^"]*" enum)[\s\S]*$/, `The value ${WITHHELD} does not exist in $1.`)
    .replace(/\b(found|value:|character:|Unexpected|after \d+:)\s(?!\d+\.$)[\s\S]*$/, `$1 ${WITHHELD}.`);
}
