/** A piece of personal data found in a string: [start, end) in UTF-16 code units. */
export interface Span {
  start: number;
  end: number;
  /** Token kind it will be tokenized as, e.g. `email`. */
  kind: string;
  /** 0..1, how sure the recognizer is. */
  score: number;
  /** Which recognizer found it. */
  source: string;
}

export interface Recognizer {
  readonly name: string;
  /** The kinds of span it can find: what a caller may ask for by name. */
  readonly kinds: readonly string[];
  find(text: string): Span[];
}
