import { isIPv4, isIPv6 } from 'node:net';
import type { Recognizer, Span } from '../span.js';

// A sentence may end right after the address: a final `.` not followed by a digit is fine.
const V4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)/g;
// Candidates only; node:net decides what is an IPv6 address.
const V6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])/g;

/** IPv4 and IPv6 addresses, validated by node:net. */
export const ipAddressRecognizer: Recognizer = {
  name: 'ip-address',
  kinds: ['ip_address'],
  find(text: string): Span[] {
    const spans: Span[] = [];
    if (text.includes('.')) {
      for (const match of text.matchAll(V4)) {
        if (isIPv4(match[0])) spans.push({ start: match.index, end: match.index + match[0].length, kind: 'ip_address', score: 0.8, source: this.name });
      }
    }
    if (text.includes(':')) {
      for (const match of text.matchAll(V6)) {
        if (match[0].length > 2 && isIPv6(match[0])) spans.push({ start: match.index, end: match.index + match[0].length, kind: 'ip_address', score: 0.8, source: this.name });
      }
    }
    return spans;
  },
};
