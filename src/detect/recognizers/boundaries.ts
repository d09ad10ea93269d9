/**
 * Characters that may sit right next to a token inside text. A detected span must not touch
 * them on either side: the token put in its place would then run into its neighbours and not be
 * found again by deanonymize.
 */
const TOKEN_CHAR = /[A-Za-z0-9_-]/;

export function standsAlone(text: string, start: number, end: number): boolean {
  return !(start > 0 && TOKEN_CHAR.test(text[start - 1]!)) && !(end < text.length && TOKEN_CHAR.test(text[end]!));
}

export function digitCount(text: string, atLeast: number): boolean {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57 && ++count >= atLeast) return true;
  }
  return false;
}
