import { lesserLevel, type RevealLevel } from '../auth/reveal.js';
import type { FieldTransform, TransformContext } from './field-transform.js';
import { maskValue } from './mask.js';

/**
 * The value a caller receives of one @pii scalar: the strategy's output (a token) unless the
 * caller may see more of this kind, capped by the field's maxReveal.
 */
export function revealOrTransform(value: string, kind: string, maxReveal: RevealLevel, transform: FieldTransform, context: TransformContext): string {
  if (!context.reveals || maxReveal === 'TOKEN') return transform(value, kind, context);
  const level = lesserLevel(context.revealLevel(kind), maxReveal);
  if (level === 'TOKEN') return transform(value, kind, context);
  context.countRevealed(kind, level);
  return level === 'PLAIN' ? value : maskValue(value);
}
