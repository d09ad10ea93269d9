import type { FieldTransform } from './field-transform.js';

/** TOKENIZE: a deterministic token, reversible through the store. */
export const tokenize: FieldTransform = (value, kind, context) => context.tokenize(kind, value);
