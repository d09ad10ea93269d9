import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { applyPiiDirective } from '../../src/directive/pii-directive.js';
import { AnnotationError, collectPiiAnnotations } from '../../src/directive/pii-annotation.js';
import type { JsonValue } from '../../src/json.js';
import { loadTypeDefs } from '../../src/schema-files.js';

const directive = loadTypeDefs().pii;

function schemaOf(sdl: string, resolvers: Record<string, unknown> = {}) {
  return makeExecutableSchema({ typeDefs: [directive, sdl], resolvers: resolvers as never });
}

describe('@pii annotations at startup', () => {
  it('inherits from interface fields and defaults the kind to the field name', () => {
    const annotations = collectPiiAnnotations(
      schemaOf(`
        interface Person { name: String @pii(kind: "person") }
        type Patient implements Person { name: String, email: String @pii }
        type Query { p: Patient }
      `),
    );
    expect(annotations.get('Patient.name')).toMatchObject({ kind: 'person', strategy: 'TOKENIZE', maxReveal: 'PLAIN' });
    expect(annotations.get('Patient.email')).toMatchObject({ kind: 'email', strategy: 'TOKENIZE', maxReveal: 'PLAIN' });
  });

  it.each([
    ['type Query { age: Int @pii(kind: "age") }', 'Query.age', 'String or ID'],
    ['type Query { email: String @pii(kind: "E mail") }', 'Query.email', 'kind'],
    ['type Query { notes: Int @pii(strategy: TEXT) }', 'Query.notes', 'TEXT needs a String field'],
    ['type Query { notes: String @pii(strategy: TEXT, text: { kinds: ["Person"] }) }', 'Query.notes', 'text.kinds are lowercase'],
    ['type Query { name: String! @pii(strategy: REDACT) }', 'Query.name', 'non-null field'],
    ['type Query { names: [String!] @pii(strategy: REDACT) }', 'Query.names', 'non-null field'],
    ['type Query { name: Int @pii(strategy: REDACT, redact: { to: TEXT }) }', 'Query.name', 'String or ID'],
    ['type Query { dob: Int @pii(strategy: GENERALIZE, generalize: { to: MONTH }) }', 'Query.dob', 'MONTH writes a String; the field is Int'],
    ['type Query { dob: String @pii(strategy: GENERALIZE) }', 'Query.dob', 'needs generalize'],
    ['type Query { age: Int @pii(strategy: GENERALIZE, generalize: { to: NUMBER_BUCKET, size: 2.5 }) }', 'Query.age', 'size must be a whole number'],
    ['type Query { email: String @pii(strategy: HASH, mask: { keepFirst: 1 }) }', 'Query.email', 'mask options given, but the strategy is HASH'],
    ['type Query { email: String @pii(strategy: HASH, hash: { length: 4 }) }', 'Query.email', 'hash.length must be'],
    ['type Query { card: String @pii(strategy: FORMAT_PRESERVING, formatPreserving: { alphabet: ALPHANUMERIC, luhn: true }) }', 'Query.card', 'luhn needs alphabet DIGITS'],
    ['type Query { card: Int @pii(strategy: FORMAT_PRESERVING) }', 'Query.card', 'String or ID'],
    ['type Query { email: String @pii(strategy: MASK, mask: { char: "**" }) }', 'Query.email', 'exactly one character'],
    ['type Query { score: Float @pii(strategy: NOISE, noise: { epsilon: 0 }) }', 'Query.score', 'epsilon must be'],
    ['type Query { flag: Boolean @pii(strategy: NOISE, noise: { epsilon: 1 }) }', 'Query.flag', 'NOISE needs an Int'],
    [
      'interface I { a: String @pii(kind: "x") } type Query implements I { a: String @pii(kind: "y") }',
      'Query.a',
      'differs',
    ],
  ])('refuses %s, naming the field', (sdl, where, why) => {
    expect(() => collectPiiAnnotations(schemaOf(sdl))).toThrow(AnnotationError);
    expect(() => collectPiiAnnotations(schemaOf(sdl))).toThrow(new RegExp(`${where.replace('.', '\\.')}.*${why}`));
  });
});

describe('@pii field transform', () => {
  const tokenized: [string, JsonValue][] = [];
  const pii = {
    tokenize: (kind: string, value: JsonValue) => {
      tokenized.push([kind, value]);
      return `T(${kind}:${String(value)})`;
    },
  };
  const schema = applyPiiDirective(
    schemaOf(
      `
      interface Named { name: String! @pii(kind: "person") }
      type Row implements Named { id: ID! @pii(kind: "row_id"), name: String!, tags: [[String]] @pii(kind: "tag"), plain: String, missing: String @pii }
      type Query { rows: [Row!]!, later: Row, named: [Named!]! }
    `,
      {
        Query: {
          rows: () => [
            { id: 7, name: 'Zoë', tags: [['a', null], []], plain: 'visible', missing: null },
            { id: 8, name: '', tags: null, plain: 'x' },
          ],
          later: async () => ({ id: 9, name: 'Async', tags: [['b']] }),
          named: () => [{ __typename: 'Row', id: 1, name: 'Via interface' }],
        },
        Named: { __resolveType: () => 'Row' },
        Row: { tags: async (row: { tags: unknown }) => row.tags },
      },
    ),
  );

  it('tokenizes scalars, nested lists, async and interface-typed fields; leaves null and plain fields', async () => {
    const result = await execute({
      schema,
      document: parse('{ rows { id name tags plain missing } later { name tags } named { name } }'),
      contextValue: { pii },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      rows: [
        { id: 'T(row_id:7)', name: 'T(person:Zoë)', tags: [['T(tag:a)', null], []], plain: 'visible', missing: null },
        { id: 'T(row_id:8)', name: 'T(person:)', tags: null, plain: 'x', missing: null },
      ],
      later: { name: 'T(person:Async)', tags: [['T(tag:b)']] },
      named: [{ name: 'T(person:Via interface)' }],
    });
    // Values are serialized by the field's scalar first: the ID 7 is tokenized as the string "7".
    expect(tokenized).toContainEqual(['row_id', '7']);
  });

  it('fails closed without a pii context', async () => {
    const result = await execute({ schema, document: parse('{ rows { name } }'), contextValue: {} });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/refusing to return the raw value/);
  });
});

describe('@pii strategies on list and nullable fields', () => {
  const keys = { fpe: Buffer.alloc(32, 1), hash: Buffer.alloc(32, 2), noise: Buffer.alloc(32, 3) };
  const pii = { tokenize: () => 'T', keys, reveals: false, revealLevel: () => 'TOKEN', countRevealed: () => {} };
  const schema = applyPiiDirective(
    schemaOf(
      `type Query {
        names: [String] @pii(kind: "person", strategy: MASK)
        gone: [String] @pii(strategy: REDACT)
        years: [[Int!]] @pii(kind: "dob", strategy: GENERALIZE, generalize: { to: YEAR })
        ages: [Int] @pii(strategy: GENERALIZE, generalize: { to: NUMBER_BUCKET })
        nothing: String @pii(strategy: HASH)
      }`,
      {
        Query: {
          names: () => ['Zoë Ångström', null, ''],
          gone: () => ['a', null],
          years: async () => [['1984-03-09', '2001-12-31'], []],
          ages: () => [37, null, 99],
          nothing: () => null,
        },
      },
    ),
  );

  it('transforms every item, keeps nulls, and gives items the field’s own type', async () => {
    const result = await execute({ schema, document: parse('{ names gone years ages nothing }'), contextValue: { pii } });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ names: ['Z** Å*******', null, ''], gone: [null, null], years: [[1984, 2001], []], ages: [30, null, 90], nothing: null });
  });
});

describe('@pii in the docs', () => {
  it('adds the kind and treatment to the field description', () => {
    const schema = applyPiiDirective(schemaOf('type Query { "Home address." street: String @pii(kind: "address"), ssn: String @pii(maxReveal: MASKED) }'));
    const fields = schema.getQueryType()!.getFields();
    expect(fields.street!.description).toBe('Home address.\n\nPII: kind `address`, TOKENIZE.');
    expect(fields.ssn!.description).toBe('PII: kind `ssn`, TOKENIZE, revealed at most MASKED.');
  });
});
