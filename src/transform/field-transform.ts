import type { RevealLevel } from '../auth/reveal.js';
import type { DetectLists } from '../detect/detect.js';
import type { Span } from '../detect/span.js';
import type { JsonValue } from '../json.js';
import type { StrategyKeys } from '../tokens/tenant-keys.js';

/** What a transform needs from the request: tokens and keys for its tenant, and what the caller may see. */
export interface TransformContext {
  tokenize(kind: string, value: JsonValue): string;
  /** The tenant's keys for the strategies that need one (FPE, HASH, NOISE). */
  readonly keys: StrategyKeys;
  /** The configured allow and deny lists of detection (DETECT_ALLOW, DETECT_DENY). */
  readonly detectLists: DetectLists;
  /** False when the caller holds no reveal scope: every value is transformed, no lookup needed. */
  readonly reveals: boolean;
  revealLevel(kind: string): RevealLevel;
  /** Counts a value given to the caller in the clear or masked, for the audit line. */
  countRevealed(kind: string, level: RevealLevel): void;
  /** Spans found already for free-text values (on a detection thread); TEXT detects the others itself. */
  readonly textSpans?: ReadonlyMap<string, Span[]> | undefined;
  /**
   * A request's free-text spans, batched per tick and found on a detection thread when the batch
   * is large: what @pii(strategy: TEXT) fields of a query use to keep NER off the event loop.
   */
  readonly spansFor?: ((text: string) => Promise<Span[]>) | undefined;
}

/** The same context with the spans of its free-text values found already (on a detection thread, or in one batch). */
export function withTextSpans(context: TransformContext, textSpans: TransformContext['textSpans']): TransformContext {
  return withTokenize(context, undefined, textSpans);
}

/** The same context with another tokenize (counting, bounded in life, or only computed) and/or spans found already. */
export function withTokenize(
  context: TransformContext,
  tokenize: TransformContext['tokenize'] = (kind, value) => context.tokenize(kind, value),
  textSpans: TransformContext['textSpans'] = context.textSpans,
): TransformContext {
  return {
    tokenize,
    keys: context.keys,
    detectLists: context.detectLists,
    reveals: context.reveals,
    revealLevel: (kind) => context.revealLevel(kind),
    countRevealed: (kind, level) => context.countRevealed(kind, level),
    textSpans,
  };
}

/** One serialized scalar: what a GraphQL scalar field or a JSON leaf holds. */
export type Scalar = string | number | boolean;

/** Turns one scalar of a @pii field into what the client may see. */
export type FieldTransform = (value: Scalar, kind: string, context: TransformContext) => Scalar | null;

/** What a strategy writes into: the field's named type (`JSON` for anonymize payloads) and whether null fits. */
export interface StrategyTarget {
  type: string;
  nullable: boolean;
}

/** Strategy options that cannot work on their target. The message names the option, never a value. */
export class StrategyOptionError extends Error {
  override name = 'StrategyOptionError';
}

/**
 * One value a strategy cannot transform (not a date for YEAR, too few digits for FF1 ...).
 * The value is withheld; the message says why without quoting it.
 */
export class TransformFailure extends Error {
  override name = 'TransformFailure';
}

/** Scalar types that hold text (JSON: an anonymize payload, which holds anything). */
export function holdsText(target: StrategyTarget): boolean {
  return target.type === 'String' || target.type === 'ID' || target.type === 'JSON';
}

export function holdsNumber(target: StrategyTarget): boolean {
  return target.type === 'Int' || target.type === 'Float' || target.type === 'JSON';
}
