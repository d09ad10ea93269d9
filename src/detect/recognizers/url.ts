import type { Recognizer, Span } from '../span.js';

// Candidates: a scheme or `www.`, then anything up to whitespace or a quote or bracket;
// URL itself decides what is an address with a dotted host.
const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s"'<>()[\]{}]+/gi;
const TRAILING = /[.,;:!?]+$/;

/** http(s) and www. addresses with a real host, validated by WHATWG URL parsing. */
export const urlRecognizer: Recognizer = {
  name: 'url',
  kinds: ['url'],
  find(text: string): Span[] {
    if (!text.includes('://') && !/www\./i.test(text)) return [];
    const spans: Span[] = [];
    for (const match of text.matchAll(CANDIDATE)) {
      const candidate = match[0].replace(TRAILING, '');
      let host: string;
      try {
        host = new URL(/^www\./i.test(candidate) ? `http://${candidate}` : candidate).hostname;
      } catch {
        continue;
      }
      if (!host.includes('.') || host.startsWith('.') || host.endsWith('.')) continue;
      spans.push({ start: match.index, end: match.index + candidate.length, kind: 'url', score: 0.9, source: this.name });
    }
    return spans;
  },
};
