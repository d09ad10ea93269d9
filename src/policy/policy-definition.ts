import { buildSchema, coerceInputValue, GraphQLNonNull, type GraphQLInputType } from 'graphql';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { withoutLiterals } from '../errors/format-error.js';
import { anonymizeRules, type PiiRuleInput } from '../payload/payload-rules.js';
import { parseDuration } from '../retention/retention-policy.js';
import { loadTypeDefs } from '../schema-files.js';
import { PolicyError, type Policy } from './policy.js';

const KEYS = new Set(['rules', 'detect', 'retention']);

let ruleType: GraphQLInputType | undefined;

/**
 * The PiiRule input type of the gateway's own schema: rules in a policy are coerced exactly as
 * the `rules` argument of anonymize is (enum values, option types, defaults).
 */
function piiRuleType(): GraphQLInputType {
  if (!ruleType) {
    const { pii, service } = loadTypeDefs();
    const type = buildSchema(`${pii}\n${service}`).getType('PiiRule');
    ruleType = new GraphQLNonNull(type as GraphQLInputType);
  }
  return ruleType;
}

/**
 * Checks one policy definition (a plain object from the policy file or validatePolicy):
 * `rules` (PiiRule objects, as in anonymize), or `detect: true` (scan every string), and an
 * optional `retention` (`30d`). Throws PolicyError with the path of what is wrong inside it;
 * messages never quote a value.
 */
export function checkPolicy(raw: unknown, options: { quoteKeys?: boolean; detectableKinds?: ReadonlySet<string> } = {}): Policy {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyError([], 'a policy is an object with rules, detect and retention');
  const definition = raw as Record<string, unknown>;
  for (const key of Object.keys(definition)) {
    if (KEYS.has(key)) continue;
    // A key of the file is the operator's word; a key of a request's JSON is not repeated.
    throw options.quoteKeys ? new PolicyError([key], 'is not a policy setting (rules, detect, retention)') : new PolicyError([], 'has a setting other than rules, detect and retention');
  }
  const detect = definition.detect ?? false;
  if (typeof detect !== 'boolean') throw new PolicyError(['detect'], 'must be true or false');
  let rules = null;
  if (definition.rules !== undefined) {
    if (detect) throw new PolicyError(['detect'], 'scans the whole payload and cannot be combined with rules; give free-text paths the TEXT strategy instead');
    if (!Array.isArray(definition.rules) || definition.rules.length === 0) throw new PolicyError(['rules'], 'must be a non-empty list of rules');
    rules = checkRules(definition.rules, options.quoteKeys ?? false);
    if (options.detectableKinds) checkTextRuleKinds(definition.rules as unknown[], options.detectableKinds);
  } else if (!detect) {
    throw new PolicyError([], 'needs rules, or detect: true');
  }
  let retention: number | undefined;
  if (definition.retention !== undefined) {
    if (typeof definition.retention !== 'string') throw new PolicyError(['retention'], 'must be a duration such as 30d, 12h or never');
    try {
      retention = parseDuration(definition.retention);
    } catch (error) {
      throw new PolicyError(['retention'], (error as Error).message);
    }
  }
  return retention === undefined ? { rules } : { rules, retention };
}

function checkRules(raw: unknown[], quoteKeys: boolean) {
  const coerced = raw.map((rule, index) =>
    coerceInputValue(rule, piiRuleType(), (path, _invalid, error) => {
      const message = withoutLiterals(error.message);
      throw new PolicyError(['rules', index, ...path], quoteKeys ? message : message.replace(/^Field "[^"]*" is not defined by type/, 'A field is not defined by type'));
    }),
  );
  try {
    return anonymizeRules(null, coerced as PiiRuleInput[])!;
  } catch (error) {
    if (error instanceof GatewayError && error.code === ErrorCode.BAD_USER_INPUT) {
      // anonymizeRules names the rule `rules[i]`: keep the index for the line number.
      const index = /^rules\[(\d+)\]/.exec(error.message)?.[1];
      throw new PolicyError(index === undefined ? ['rules'] : ['rules', Number(index)], error.message.replace(/^rules\[\d+\]:?\s*/, ''));
    }
    throw error;
  }
}

/**
 * TEXT rules' `text.kinds` must be kinds the detectors find (built-in or from the configured
 * lists): a misspelt kind would leave those values in the text. Read from the rules as written,
 * which checkRules has just coerced without complaint.
 */
function checkTextRuleKinds(rules: unknown[], detectable: ReadonlySet<string>): void {
  rules.forEach((rule, index) => {
    const { strategy, text } = rule as { strategy?: unknown; text?: { kinds?: unknown } };
    if (strategy !== 'TEXT' || !Array.isArray(text?.kinds)) return;
    text.kinds.forEach((kind: unknown, k: number) => {
      if (typeof kind === 'string' && !detectable.has(kind)) throw new PolicyError(['rules', index, 'text', 'kinds', k], 'is not a kind the detectors find');
    });
  });
}
