import type { RevealLevel } from '../auth/reveal.js';
import type { JsonValue } from '../json.js';

/** What a transform needs from the request: tokenizing for its tenant, and what the caller may see. */
export interface TransformContext {
  tokenize(kind: string, value: JsonValue): string;
  /** False when the caller holds no reveal scope: every value is tokenized, no lookup needed. */
  readonly reveals: boolean;
  revealLevel(kind: string): RevealLevel;
  /** Counts a value given to the caller in the clear or masked, for the audit line. */
  countRevealed(kind: string, level: RevealLevel): void;
}

/** Turns one serialized scalar of a @pii field into what the client may see. */
export type FieldTransform = (value: string, kind: string, context: TransformContext) => string;
