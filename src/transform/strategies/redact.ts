import { holdsText, StrategyOptionError, type FieldTransform, type StrategyTarget } from '../field-transform.js';

export interface RedactOptions {
  to: 'NULL' | 'TEXT';
  text: string;
}

/** REDACT: null, or one fixed text. Whether null fits is checked against the field, here, once. */
export function redact(given: Partial<RedactOptions> | undefined, target: StrategyTarget): FieldTransform {
  const options: RedactOptions = { to: 'NULL', text: '[REDACTED]', ...given };
  if (options.to === 'NULL') {
    if (!target.nullable) throw new StrategyOptionError('REDACT to NULL on a non-null field; make the field nullable or use redact: { to: TEXT }');
    return () => null;
  }
  if (options.to !== 'TEXT') throw new StrategyOptionError('redact.to must be NULL or TEXT');
  if (!holdsText(target)) throw new StrategyOptionError(`REDACT to TEXT needs a String or ID field, not ${target.type}`);
  if (typeof options.text !== 'string' || options.text.length > 256) throw new StrategyOptionError('redact.text must be a string of at most 256 characters');
  const text = options.text;
  return () => text;
}
