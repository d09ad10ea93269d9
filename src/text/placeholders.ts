/** `[PERSON_1]`: the kind in capitals and a number, counted per kind within one call. */
export function placeholder(kind: string, n: number): string {
  return `[${kind.toUpperCase()}_${n}]`;
}

const KIND = '[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z][A-Za-z0-9]*)*';

/**
 * Placeholders as an LLM may hand them back: any case, brackets kept (spaces inside allowed) or
 * dropped (`[Person_1]`, `[ person_1 ]`, `PERSON_1`). Groups 1–2 (bracketed) or 3–4 (bare) are
 * the kind and the number.
 */
export const PLACEHOLDER_IN_TEXT = new RegExp(`\\[\\s*(${KIND})_(\\d+)\\s*\\]|(?<![A-Za-z0-9_])(${KIND})_(\\d+)(?![A-Za-z0-9_])`, 'g');
