import { describe, expect, it } from 'vitest';
import { parseFieldSpec, PathSyntaxError } from '../../src/payload/json-path.js';

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
