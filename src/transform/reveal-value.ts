import { lesserLevel, type RevealLevel } from '../auth/reveal.js';
import type { FieldTransform, Scalar, TransformContext } from './field-transform.js';
import { maskValue } from './mask.js';

/** What one value of a kind becomes for this caller: the strategy's output, or the value itself, plain or masked. */
export type Treatment = 'TRANSFORM' | 'PLAIN' | 'MASKED';

/**
 * The strategy's output unless the caller may see more of this kind, capped by the field's
 * maxReveal. A masked form exists for text only; a number the caller may see masked gets the
 * strategy's output.
 */
export function treatmentOf(value: Scalar, kind: string, maxReveal: RevealLevel, context: TransformContext): Treatment {
  if (!context.reveals || maxReveal === 'TOKEN') return 'TRANSFORM';
  const level = lesserLevel(context.revealLevel(kind), maxReveal);
  if (level === 'TOKEN' || (level === 'MASKED' && typeof value !== 'string')) return 'TRANSFORM';
  return level;
}

/** The value a caller receives of one @pii scalar (see treatmentOf); reveals are counted for the audit line. */
export function revealOrTransform(value: Scalar, kind: string, maxReveal: RevealLevel, transform: FieldTransform, context: TransformContext): Scalar | null {
  const treatment = treatmentOf(value, kind, maxReveal, context);
  if (treatment === 'TRANSFORM') return transform(value, kind, context);
  context.countRevealed(kind, treatment);
  return treatment === 'PLAIN' ? value : maskValue(value as string);
}
