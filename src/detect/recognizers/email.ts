import type { Recognizer, Span } from '../span.js';

// A pragmatic address: dot-atom local part, dotted domain, alphabetic TLD. The lookarounds keep
// a match from starting or ending inside a longer run of address characters, so a token put in
// its place is found again by the token scanner.
const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9_-])/g;

export const emailRecognizer: Recognizer = {
  name: 'email-pattern',
  kinds: ['email'],
  find(text: string): Span[] {
    if (!text.includes('@')) return [];
    const spans: Span[] = [];
    for (const match of text.matchAll(EMAIL)) {
      spans.push({ start: match.index, end: match.index + match[0].length, kind: 'email', score: 0.95, source: this.name });
    }
    return spans;
  },
};
