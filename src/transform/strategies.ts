import { StrategyOptionError, type FieldTransform, type StrategyTarget } from './field-transform.js';
import { formatPreserving } from './strategies/format-preserving.js';
import { generalize } from './strategies/generalize.js';
import { hash } from './strategies/hash.js';
import { mask } from './strategies/mask.js';
import { noise } from './strategies/noise.js';
import { redact } from './strategies/redact.js';
import { text } from './strategies/text.js';
import { tokenize } from './strategies/tokenize.js';

/** The PiiStrategy enum values of schema/pii.graphql. */
export const PII_STRATEGIES = ['TOKENIZE', 'FORMAT_PRESERVING', 'MASK', 'HASH', 'REDACT', 'GENERALIZE', 'NOISE', 'TEXT'] as const;
export type PiiStrategy = (typeof PII_STRATEGIES)[number];

/** The @pii (and anonymize rule) argument that carries each strategy's options. */
export const OPTIONS_ARGUMENT = {
  FORMAT_PRESERVING: 'formatPreserving',
  MASK: 'mask',
  HASH: 'hash',
  REDACT: 'redact',
  GENERALIZE: 'generalize',
  NOISE: 'noise',
  TEXT: 'text',
} as const satisfies Partial<Record<PiiStrategy, string>>;

type OptionsArgument = (typeof OPTIONS_ARGUMENT)[keyof typeof OPTIONS_ARGUMENT];

/** A strategy and whatever options arguments were written next to it. */
export type StrategyArguments = { strategy?: string | null } & Partial<Record<OptionsArgument, unknown>>;

// Each factory checks its options against the target once and returns the per-value function.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FACTORIES: Record<PiiStrategy, (options: any, target: StrategyTarget) => FieldTransform> = {
  TOKENIZE: tokenize,
  FORMAT_PRESERVING: formatPreserving,
  MASK: mask,
  HASH: hash,
  REDACT: redact,
  GENERALIZE: generalize,
  NOISE: noise,
  TEXT: text,
};

/**
 * The transform of a strategy with its options for one target, checked: a known strategy, no
 * options of another strategy, options that fit the target.
 * Throws StrategyOptionError with a message that names options, never values.
 */
export function createTransform(args: StrategyArguments, target: StrategyTarget): { strategy: PiiStrategy; options: unknown; transform: FieldTransform } {
  const strategy = (args.strategy ?? 'TOKENIZE') as PiiStrategy;
  if (!PII_STRATEGIES.includes(strategy)) throw new StrategyOptionError('unknown @pii strategy');
  const own = (OPTIONS_ARGUMENT as Partial<Record<PiiStrategy, OptionsArgument>>)[strategy];
  for (const argument of Object.values(OPTIONS_ARGUMENT)) {
    if (argument !== own && args[argument] != null) throw new StrategyOptionError(`${argument} options given, but the strategy is ${strategy}`);
  }
  const options = own ? (args[own] ?? undefined) : undefined;
  return { strategy, options, transform: FACTORIES[strategy](options, target) };
}
