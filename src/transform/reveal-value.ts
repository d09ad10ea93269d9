import { lesserLevel, type RevealLevel } from '../auth/reveal.js';
import type { FieldTransform, Scalar, TransformContext } from './field-transform.js';
import { maskValue } from './mask.js';

/**
 * The value a caller receives of one @pii scalar: the strategy's output unless the caller may
 * see more of this kind, capped by the field's maxReveal. A masked form exists for text only;
 * a number the caller may see masked gets the strategy's output.
 */
export function revealOrTransform(value: Scalar, kind: string, maxReveal: RevealLevel, transform: FieldTransform, context: TransformContext): Scalar | null {
  if (!context.reveals || maxReveal === 'TOKEN') return transform(value, kind, context);
  const level = lesserLevel(context.revealLevel(kind), maxReveal);
  if (level === 'TOKEN' || (level === 'MASKED' && typeof value !== 'string')) return transform(value, kind, context);
  context.countRevealed(kind, level);
  return level === 'PLAIN' ? value : maskValue(value as string);
}
