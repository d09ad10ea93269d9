import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/json.js';
import { forEachAtPath, parseFieldSpec, PathSyntaxError, replaceAtPaths } from '../../src/payload/json-path.js';

describe('field paths', () => {
  it('parses keys, [*], [n] and an explicit kind', () => {
    expect(parseFieldSpec('patients[*].email')).toEqual({
      steps: [{ type: 'key', name: 'patients' }, { type: 'each' }, { type: 'key', name: 'email' }],
      kind: 'email',
    });
    expect(parseFieldSpec('visit.id')).toEqual({ steps: [{ type: 'key', name: 'visit' }, { type: 'key', name: 'id' }], kind: 'id' });
    expect(parseFieldSpec('[*]')).toEqual({ steps: [{ type: 'each' }], kind: 'value' });
    expect(parseFieldSpec('rows[2].fullName:person').kind).toBe('person');
    expect(parseFieldSpec('rows[2].fullName').kind).toBe('full_name');
    expect(parseFieldSpec('matrix[*][*]').steps).toEqual([{ type: 'key', name: 'matrix' }, { type: 'each' }, { type: 'each' }]);
  });

  it.each(['', '.a', 'a.', 'a..b', 'a[', 'a[x]', 'a[-1]', 'a[01]', 'a]b', 'a.b:Bad Kind', 'a:'])('rejects %j with a position, not the path', (path) => {
    let error: unknown;
    try {
      parseFieldSpec(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PathSyntaxError);
    if (path.length > 2) expect((error as Error).message).not.toContain(path);
  });
});

describe('rewriting at paths', () => {
  const steps = (path: string) => parseFieldSpec(path).steps;
  const upper = (value: JsonValue) => (typeof value === 'string' ? value.toUpperCase() : value);

  it('applies the edits on a copy, leaving the input and untouched branches as they were', () => {
    const input: JsonValue = JSON.parse('{"a":{"b":"x","c":"y"},"list":[{"n":"p"},{"n":"q"}],"other":{"k":"v"},"__proto__":{"n":"r"}}');
    const before = JSON.stringify(input);
    const out = replaceAtPaths(input, [
      { steps: steps('a.b'), replace: upper },
      { steps: steps('list[*].n'), replace: upper },
      { steps: steps('__proto__.n'), replace: upper },
      { steps: steps('missing.path'), replace: () => 'never' },
    ]) as Record<string, any>;
    expect(JSON.stringify(input)).toBe(before);
    expect(JSON.stringify(out)).toBe('{"a":{"b":"X","c":"y"},"list":[{"n":"P"},{"n":"Q"}],"other":{"k":"v"},"__proto__":{"n":"R"}}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype); // "__proto__" stayed a plain key
    expect(out.other).toBe((input as Record<string, JsonValue>).other); // not on an edited path: shared
  });

  it('edits 10,000 keys of one object, each once (the size the quadratic copy took 70 s on)', () => {
    // Copying the object per edit made this 10,000 x 10,000 property copies.
    const input = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, `v${i}`]));
    const copies: unknown[] = [];
    const out = replaceAtPaths(input, Array.from({ length: 10_000 }, (_, i) => ({ steps: steps(`k${i}`), replace: (value: JsonValue) => (copies.push(value), `${String(value)}*`) }))) as Record<string, string>;
    expect(copies).toHaveLength(10_000);
    expect(out.k0).toBe('v0*');
    expect(out.k9999).toBe('v9999*');
    expect(input.k0).toBe('v0');
  });

  it('replaces a value once when paths overlap: the shorter path first, then the order given', () => {
    // Twice would make a token of a token, which does not deanonymize to the original.
    const input: JsonValue = { email: 'a', list: [{ e: 'b' }, { e: 'c' }], customer: { name: 'n', email: 'm' } };
    const reached: string[] = [];
    const edit = (path: string, mark: string) => ({ steps: steps(path), replace: (value: JsonValue) => `${mark}(${JSON.stringify(value)})`, reached: () => reached.push(path) });
    const out = replaceAtPaths(input, [
      edit('email', '1'),
      edit('email', '2'),
      edit('list[0].e', '3'),
      edit('list[*].e', '4'),
      edit('customer.email', '5'),
      edit('customer', '6'),
    ]);
    expect(out).toEqual({ email: '1("a")', list: [{ e: '3("b")' }, { e: '4("c")' }], customer: '6({"name":"n","email":"m"})' });
    // Every edit whose path exists is told so, replaced by it or not.
    expect(reached.sort()).toEqual(['customer', 'customer.email', 'email', 'email', 'list[*].e', 'list[*].e', 'list[0].e'].sort());
  });

  it('visits without copying', () => {
    const seen: JsonValue[] = [];
    forEachAtPath({ rows: [{ t: 'a' }, { t: 'b' }, { u: 'c' }] }, steps('rows[*].t'), (value) => seen.push(value));
    expect(seen).toEqual(['a', 'b']);
  });
});
