import type { FieldTransform } from './field-transform.js';
import { tokenize } from './tokenize.js';

/** The PiiStrategy enum values of schema/pii.graphql. */
export const PII_STRATEGIES = ['TOKENIZE', 'FORMAT_PRESERVING', 'MASK', 'HASH', 'REDACT', 'GENERALIZE', 'NOISE', 'TEXT'] as const;
export type PiiStrategy = (typeof PII_STRATEGIES)[number];

const IMPLEMENTED: Partial<Record<PiiStrategy, FieldTransform>> = {
  TOKENIZE: tokenize,
};

/** The transform for a strategy, or undefined while the strategy is not implemented. */
export function transformFor(strategy: PiiStrategy): FieldTransform | undefined {
  return IMPLEMENTED[strategy];
}
