import { badUserInput } from '../errors/gateway-error.js';
import { isValidKind } from '../tokens/token-format.js';
import { StrategyOptionError, type FieldTransform, type StrategyTarget } from '../transform/field-transform.js';
import { createTransform, type PiiStrategy, type StrategyArguments } from '../transform/strategies.js';
import { checkFormatPreservingOptions, type FormatPreservingOptions } from '../transform/strategies/format-preserving.js';
import { parseFieldSpec, PathSyntaxError, type PathStep } from './json-path.js';

/** One checked rule of anonymize: where in the payload, which kind, which strategy. */
export interface PayloadRule {
  steps: PathStep[];
  kind: string;
  strategy: PiiStrategy;
  transform: FieldTransform;
  /** How errors and unmatchedFields name it: `fields[2]` / `rules[0]`, and the path as given. */
  label: string;
  entry: string;
}

/** A rule as the PiiRule input type of schema/service.graphql gives it. */
export type PiiRuleInput = StrategyArguments & { path: string; kind?: string | null };

/** A payload value can be anything JSON; each strategy checks what it needs per value. */
const PAYLOAD_TARGET: StrategyTarget = { type: 'JSON', nullable: true };

/**
 * The rules of one anonymize call, checked before anything is transformed: `fields` entries
 * are TOKENIZE rules, `rules` entries carry their own strategy and options. Errors name the
 * entry (`rules[1]: mask.char must be exactly one character`), never its text.
 */
export function anonymizeRules(fields: readonly string[] | null | undefined, rules: readonly PiiRuleInput[] | null | undefined): PayloadRule[] | null {
  if (fields == null && rules == null) return null;
  const fromFields = (fields ?? []).map((entry, index) => rule(`fields[${index}]`, entry, undefined, { strategy: 'TOKENIZE' }));
  const fromRules = (rules ?? []).map((input, index) => rule(`rules[${index}]`, input.path, input.kind, input));
  return [...fromFields, ...fromRules];
}

/** A FORMAT_PRESERVING rule of deanonymize: the only strategy reversible without the store. */
export interface RestoreRule {
  steps: PathStep[];
  kind: string;
  options: FormatPreservingOptions;
}

export function restoreRules(rules: readonly PiiRuleInput[] | null | undefined): RestoreRule[] {
  return (rules ?? []).map((input, index) => {
    const label = `rules[${index}]`;
    if (input.strategy !== 'FORMAT_PRESERVING') {
      throw badUserInput(`${label}: only FORMAT_PRESERVING values are restored by a rule; tokens are found without one, and the other strategies cannot be reversed`);
    }
    const { steps, kind } = pathAndKind(label, input.path, input.kind);
    try {
      return { steps, kind, options: checkFormatPreservingOptions(input.formatPreserving as Partial<FormatPreservingOptions> | undefined, PAYLOAD_TARGET) };
    } catch (error) {
      if (error instanceof StrategyOptionError) throw badUserInput(`${label}: ${error.message}`);
      throw error;
    }
  });
}

function rule(label: string, entry: string, kindArg: string | null | undefined, args: StrategyArguments): PayloadRule {
  const { steps, kind } = pathAndKind(label, entry, kindArg);
  try {
    return { steps, kind, label, entry, ...createTransform(args, PAYLOAD_TARGET) };
  } catch (error) {
    if (error instanceof StrategyOptionError) throw badUserInput(`${label}: ${error.message}`);
    throw error;
  }
}

function pathAndKind(label: string, entry: string, kindArg: string | null | undefined): { steps: PathStep[]; kind: string } {
  try {
    const spec = parseFieldSpec(entry);
    if (kindArg == null) return spec;
    if (!isValidKind(kindArg)) throw new PathSyntaxError('the kind must be lowercase letters, digits and underscores, starting with a letter (at most 32)');
    return { steps: spec.steps, kind: kindArg };
  } catch (error) {
    if (error instanceof PathSyntaxError) throw badUserInput(`${label} is not a valid path: ${error.message}`);
    throw error;
  }
}
