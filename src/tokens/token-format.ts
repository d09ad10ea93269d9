/**
 * The token's text form: `<prefix>_<kind>_<mac>`, e.g. `tok_email_3kTzQ0n6bX4mYy2Wc9Lr1eHa`.
 *
 * The MAC part is always MAC_CHARS base64url characters (MAC_BYTES bytes, 144 bits), so a token
 * is found unambiguously even when the kind contains underscores and the token sits inside a
 * longer string: the kind is whatever lies between the prefix and the last MAC_CHARS characters.
 */
export const MAC_BYTES = 18;
export const MAC_CHARS = 24;

const KIND = /^[a-z][a-z0-9_]{0,31}$/;
const MAC_ALPHABET = 'A-Za-z0-9_-';

export function isValidKind(kind: string): boolean {
  return KIND.test(kind) && !kind.endsWith('_');
}

/** Turns a field or key name into a kind: `dateOfBirth` -> `date_of_birth`, `E-Mail` -> `e_mail`. */
export function kindFromName(name: string): string | undefined {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[_0-9]+|_+$/g, '')
    .slice(0, 32)
    .replace(/_+$/, '');
  return isValidKind(snake) ? snake : undefined;
}

export interface TokenMatch {
  token: string;
  kind: string;
  start: number;
  end: number;
}

export class TokenFormat {
  readonly prefix: string;
  private readonly whole: RegExp;
  private readonly embedded: RegExp;

  constructor(prefix: string) {
    this.prefix = prefix;
    const body = `${prefix}_([a-z][a-z0-9_]{0,31})_[${MAC_ALPHABET}]{${MAC_CHARS}}`;
    this.whole = new RegExp(`^${body}$`);
    // Lookarounds keep a token from being read out of the middle of a longer identifier.
    this.embedded = new RegExp(`(?<![${MAC_ALPHABET}])${body}(?![${MAC_ALPHABET}])`, 'g');
  }

  format(kind: string, mac: Buffer): string {
    const token = `${this.prefix}_${kind}_${mac.toString('base64url', 0, MAC_BYTES)}`;
    // Copied into a flat one-byte string. A kind read from a schema that holds any character past
    // Latin-1 (the "…" of schema/pii.graphql) is a two-byte string in V8, like every string
    // joined to it. As one-byte text a token takes 59 bytes of heap instead of 91 (the token cache
    // keeps them for long), and a 1,000-row answer serialized in 0.46 ms instead of 0.70
    // (BENCHMARKS.md). Kinds and prefixes are ASCII, checked where they come in, so the copy
    // changes no character; should one not be, the token stays as it is.
    return Buffer.byteLength(token) === token.length ? Buffer.from(token, 'latin1').toString('latin1') : token;
  }

  /** The kind if `text` is exactly one token, otherwise undefined. */
  kindOf(text: string): string | undefined {
    return this.whole.exec(text)?.[1];
  }

  /** Every token inside `text`, in order. */
  findAll(text: string): TokenMatch[] {
    if (!text.includes(this.prefix)) return [];
    const found: TokenMatch[] = [];
    for (const match of text.matchAll(this.embedded)) {
      found.push({ token: match[0], kind: match[1]!, start: match.index, end: match.index + match[0].length });
    }
    return found;
  }
}
