import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../src/plugins/query-limits.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { startTestStore, type TestStore } from '../support/test-store.js';

// graphql-armor's rules and graphql-js's token limit, on the real gateway over HTTP.
const SECRET = 'zoe.secret@example.com';

let store: TestStore;
let defaults: TestGateway;
let tight: TestGateway;
beforeAll(async () => {
  store = await startTestStore();
  defaults = await startTestGateway(store.store);
  tight = await startTestGateway(store.store, { queryLimits: { maxDepth: 2, maxAliases: 2, maxDirectives: 2, maxTokens: 60, maxCost: 100 } });
});
afterAll(async () => {
  await defaults?.close();
  await tight?.close();
  await store?.close();
});

async function refused(gateway: TestGateway, query: string, code: string, message: RegExp) {
  const response = await gateway.post(JSON.stringify({ query, variables: { e: SECRET } }), { accept: 'application/graphql-response+json' });
  expect(response.status).toBe(400);
  const body = JSON.parse(response.text);
  expect(body.data).toBeUndefined();
  expect(body.errors.map((e: any) => e.extensions.code)).toEqual([code]);
  expect(body.errors[0].message).toMatch(message);
  expect(response.text).not.toContain('zoe.secret');
}

describe('query limits', () => {
  it('refuses a query nested deeper than MAX_QUERY_DEPTH', async () => {
    const nested = `{ patient(id: "${SECRET}") { appointments { doctor } } }`;
    await refused(tight, nested, 'GRAPHQL_VALIDATION_FAILED', /^Syntax Error: Query depth limit of 2 exceeded, found 3\.$/);
    expect((await defaults.gql(nested)).body.errors).toBeUndefined();
  });

  it('refuses too many aliases, directives or tokens, and a query that costs too much', async () => {
    await refused(tight, '{ a: patients(first: 1) { id } b: patients(first: 1) { id } c: patients(first: 1) { id } }', 'GRAPHQL_VALIDATION_FAILED', /aliases limit of 2 exceeded/i);
    await refused(tight, '{ patients(first: 1) { id @include(if: true) name @include(if: true) email @skip(if: false) } }', 'GRAPHQL_VALIDATION_FAILED', /directives limit of 2 exceeded/i);
    await refused(tight, `{ patients(first: 1) { ${'id '.repeat(70)}} }`, 'GRAPHQL_PARSE_FAILED', /more tha[nt] 60 tokens/i);
    await refused(tight, '{ patients(first: 100) { id name } }', 'GRAPHQL_VALIDATION_FAILED', /cost limit of 100 exceeded/i);
  });

  it('keeps the defaults roomy enough for the 1,000-row query and refuses 5,000 rows of everything', async () => {
    expect((await defaults.gql('{ patients(first: 1000) { name email phone } }')).body.data!.patients).toHaveLength(1000);
    await refused(
      defaults,
      '{ patients(first: 5000) { id name email phone dateOfBirth ssn notes bloodType address { street city } } }',
      'GRAPHQL_VALIDATION_FAILED',
      new RegExp(`cost limit of ${DEFAULT_QUERY_LIMITS.maxCost} exceeded`, 'i'),
    );
  });

  it('says a literal nested too deep for the parser is too deep, within the token limit, and keeps serving', async () => {
    const levels = 4000; // 8,000 tokens: under the 10,000 allowed, over what graphql-js's recursive parser can take
    await refused(defaults, `mutation { anonymize(payload: ${'['.repeat(levels)}"${SECRET}"${']'.repeat(levels)}) { tokenized } }`, 'GRAPHQL_PARSE_FAILED', /^The document nests values too deep to parse; send deep values as variables$/);
    expect((await defaults.gql('{ patient(id: "p1") { id } }')).body.data!.patient.id).toBe('p1');
  });

  it('leaves introspection (GraphiQL’s schema query) out of depth and cost', async () => {
    const { body } = await tight.gql('{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }');
    expect(body.errors).toBeUndefined();
  });
});
