import { buildSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readAnnotationsFile } from '../../src/gateway/annotations-file.js';
import { TokenArguments } from '../../src/gateway/token-arguments.js';
import { TokenFormat } from '../../src/tokens/token-format.js';

const upstream = buildSchema(`
  type Query {
    patient(id: ID, contact: String): Patient
    search(where: Where, emails: [String!]): [Patient]
    note(text: String): String
  }
  input Where { email: String, any: [Where!], refs: [String] }
  type Patient { id: ID!, email: String, name: String }
`);
const annotations = readAnnotationsFile(
  `
  type Patient { email: String @pii(kind: "email") }
  type Query { patient(contact: String @pii(kind: "email")): Patient }
  input Where { refs: [String] @pii(kind: "ref") }
  `,
  'annotations.graphql',
  upstream,
);
const format = new TokenFormat('tok');
const token = (kind: string, n: number) => `tok_${kind}_${String(n).padStart(24, 'A')}`;
const originals = new Map([
  [token('email', 1), 'ann@example.com'],
  [token('email', 2), 'bob@example.com'],
  [token('ref', 3), 'R-3'],
]);
let lookups = 0;
const resolveTokens = async (tokens: readonly string[]) => {
  lookups++;
  return tokens.map((t) => (originals.has(t) ? { value: originals.get(t)!, kind: format.kindOf(t)! } : undefined));
};
const rewrite = (query: string, variables?: Record<string, unknown>) =>
  new TokenArguments(upstream, annotations).resolve({ document: parse(query), ...(variables ? { variables } : {}) }, format, resolveTokens);

describe('tokens as arguments', () => {
  it('resolves explicitly annotated arguments and input fields, and arguments named like annotated fields', async () => {
    lookups = 0;
    const out = await rewrite(
      `query($w: Where) {
        patient(contact: "${token('email', 1)}") { id }
        search(where: { any: [{ email: "${token('email', 2)}" }], refs: ["${token('ref', 3)}"] }) { id }
        again: search(where: $w) { id }
      }`,
      { w: { email: token('email', 1), refs: [token('ref', 3), 'plain'] } },
    );
    const printed = print(out.document);
    expect(printed).toContain('patient(contact: "ann@example.com")');
    expect(printed).toContain('search(where: {any: [{email: "bob@example.com"}], refs: ["R-3"]})');
    expect(out.variables).toEqual({ w: { email: 'ann@example.com', refs: ['R-3', 'plain'] } });
    expect(lookups).toBe(1);
  });

  it('leaves tokens alone where no annotation applies, and requests without tokens untouched', async () => {
    const query = `{ note(text: "${token('email', 1)}") patient(id: "${token('email', 1)}") { id } }`;
    const request = { document: parse(query) };
    expect(await new TokenArguments(upstream, annotations).resolve(request, format, resolveTokens)).toBe(request);
  });

  it('refuses unknown tokens and tokens of another kind, naming the argument', async () => {
    await expect(rewrite(`{ patient(contact: "${token('email', 9)}") { id } }`)).rejects.toThrow(/argument contact of patient does not resolve/);
    await expect(rewrite('query($w: Where) { search(where: $w) { id } }', { w: { refs: [token('email', 1)] } })).rejects.toThrow(
      /argument where\.refs of search takes tokens of kind ref, not email/,
    );
  });
});
