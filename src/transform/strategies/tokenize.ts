import { holdsText, StrategyOptionError, type FieldTransform, type StrategyTarget } from '../field-transform.js';

/** TOKENIZE: a deterministic token, reversible through the store. */
export function tokenize(_options: undefined, target: StrategyTarget): FieldTransform {
  if (!holdsText(target)) throw new StrategyOptionError(`TOKENIZE needs a String or ID field (or a list of them), not ${target.type}`);
  return (value, kind, context) => context.tokenize(kind, value);
}
