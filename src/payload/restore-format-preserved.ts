import { badUserInput } from '../errors/gateway-error.js';
import type { JsonValue } from '../json.js';
import { TransformFailure } from '../transform/field-transform.js';
import { formatPreservingCipher } from '../transform/strategies/format-preserving.js';
import { replaceAtPaths } from './json-path.js';
import type { RestoreRule } from './payload-rules.js';

export interface RestoreOutcome {
  payload: JsonValue;
  /** Decrypted values per kind. */
  kinds: Map<string, number>;
}

/** Decrypts the FORMAT_PRESERVING values at each rule's path with the tenant's FPE key; no store involved. */
export function restoreFormatPreserved(payload: JsonValue, rules: readonly RestoreRule[], fpeKey: Buffer): RestoreOutcome {
  const kinds = new Map<string, number>();
  const result = replaceAtPaths(
    payload,
    rules.map((rule, index) => {
      const cipher = formatPreservingCipher(fpeKey, rule.options);
      return {
        steps: rule.steps,
        replace: (value: JsonValue) => {
          if (value === null) return null;
          if (typeof value !== 'string') throw badUserInput(`rules[${index}]: FORMAT_PRESERVING values are strings; use [*] to reach the items of a list`);
          try {
            const restored = cipher.decrypt(value, rule.kind);
            kinds.set(rule.kind, (kinds.get(rule.kind) ?? 0) + 1);
            return restored;
          } catch (error) {
            if (error instanceof TransformFailure) throw badUserInput(`rules[${index}]: a value at this path cannot be decrypted (${error.message})`);
            throw error;
          }
        },
      };
    }),
  );
  return { payload: result, kinds };
}
