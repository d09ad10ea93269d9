import { parse, validate, buildSchema, GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formatError, withoutLiterals } from '../../src/errors/format-error.js';
import { GatewayError } from '../../src/errors/gateway-error.js';
import { StoreUnavailableError } from '../../src/store/token-store.js';

const secret = 'jane.secret@example.com';
const schema = buildSchema(`
  enum Color { RED }
  type Query { byInt(n: Int): Int, byColor(c: Color): Int, byString(s: String): Int }
`);

function messagesFor(query: string): string[] {
  try {
    return validate(schema, parse(query)).map((error) => error.message);
  } catch (error) {
    return [(error as Error).message];
  }
}

describe('error messages never quote input', () => {
  it.each([
    `{ byInt(n: "${secret}") }`,
    `{ byColor(c: "${secret}") }`,
    `{ byString(s: 42${secret.length}) }`,
    `{ byString(s: "${secret}) }`,
    `{ byInt(n: 1) "${secret}" }`,
  ])('graphql-js error for %s', (query) => {
    const messages = messagesFor(query);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(withoutLiterals(message)).not.toContain(secret);
      expect(withoutLiterals(message)).not.toContain(String(42 + secret.length));
    }
  });

  it('cuts variable values', () => {
    const message = `Variable "$n" got invalid value "${secret}"; Int cannot represent non-integer value: "${secret}"`;
    expect(withoutLiterals(message)).toBe('Variable "$n" got invalid value (value withheld).');
  });

  it('keeps the gateway’s own messages and hides everything else', () => {
    const ours = new GatewayError('BAD_USER_INPUT', 'fields[0] is not a valid path');
    expect(formatError({ message: ours.message }, ours)).toEqual({ message: ours.message, extensions: { code: 'BAD_USER_INPUT' } });
    const leaky = new Error(`Unexpected token in JSON: ${secret}`);
    const wrapped = new GraphQLError(leaky.message, { originalError: leaky, path: ['anonymize'] });
    const formatted = formatError({ message: wrapped.message, path: ['anonymize'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, wrapped);
    expect(formatted).toEqual({ message: 'Internal server error', path: ['anonymize'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const store = new StoreUnavailableError('down');
    expect(formatError({ message: 'x' }, store).extensions?.code).toBe('STORE_UNAVAILABLE');
  });
});
