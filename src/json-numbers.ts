/**
 * JSON numbers are read as JavaScript doubles, which hold integers exactly only up to ±2^53. A
 * larger integer (a 64-bit account id sent as a number) is rounded on reading, so the gateway
 * would tokenize, store or forward another number than the one sent, and hand back
 * 12345678901234567000 for 12345678901234567890. Such integers are refused instead, with the
 * advice to send them as strings. An integer that comes back as the same text
 * (12345678901234567000 itself, or any number a JavaScript client wrote) is not refused: nothing
 * is lost on it.
 */

/** Fewer digits than this always survive a double: 2^53 has 16. */
const RISKY_DIGITS = 16;
const RISKY_RUN = new RegExp(`\\d{${RISKY_DIGITS}}`);
/** JSON tokens that can hold digits: strings (skipped whole, escapes included) and numbers. */
const STRING_OR_NUMBER = /"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const INTEGER_LITERAL = /^-?\d+$/;

export const INEXACT_INTEGER_ADVICE = 'is beyond ±2^53 and would be rounded on its way through the gateway: send integers that large as strings';

/** Whether an integer literal (JSON or GraphQL syntax) reads back as the same text. */
export function isExactInteger(literal: string): boolean {
  const digits = literal.startsWith('-') ? literal.length - 1 : literal.length;
  return digits < RISKY_DIGITS || String(Number(literal)) === literal;
}

/**
 * The offset in a valid JSON text of the first integer that would not survive being read, or -1.
 * A text without a run of 16 digits is passed with one native regex test. Given the value the
 * text parsed to, a text whose value holds no integer of 2^53 or more (the only doubles a rounded
 * literal can become) is passed after a walk of the value: a card number in a string has such a
 * run, and tokenizing a large text costs more than parsing it did.
 */
export function inexactIntegerAt(json: string, parsed?: unknown): number {
  if (!RISKY_RUN.test(json)) return -1;
  if (parsed !== undefined && !holdsLargeInteger(parsed)) return -1;
  STRING_OR_NUMBER.lastIndex = 0;
  for (let match = STRING_OR_NUMBER.exec(json); match; match = STRING_OR_NUMBER.exec(json)) {
    const token = match[0];
    if (token.charCodeAt(0) !== 34 && INTEGER_LITERAL.test(token) && !isExactInteger(token)) return match.index;
  }
  return -1;
}

/** The GET parameters GraphQL over HTTP carries as JSON. */
const JSON_PARAMETERS = ['variables', 'extensions'] as const;

/** Which JSON parameter of a GET request holds an integer that would be rounded, if any. */
export function inexactIntegerParameter(get: (name: string) => string | null | undefined): (typeof JSON_PARAMETERS)[number] | undefined {
  return JSON_PARAMETERS.find((name) => {
    const json = get(name);
    return typeof json === 'string' && inexactIntegerAt(json) >= 0;
  });
}

/** Whether a parsed JSON value holds a number of magnitude 2^53 or more; iterative, as bodies may nest deep. */
function holdsLargeInteger(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'number') {
      if (Math.abs(next) >= 2 ** 53) return true;
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (typeof next === 'object' && next !== null) {
      for (const key in next) pending.push((next as Record<string, unknown>)[key]);
    }
  }
  return false;
}
