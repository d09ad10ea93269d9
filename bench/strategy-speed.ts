import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { luhn } from '../src/detect/recognizers/credit-card.js';
import { TenantKeyring } from '../src/tokens/tenant-keys.js';
import { TokenFormat } from '../src/tokens/token-format.js';
import { Tokenizer } from '../src/tokens/tokenizer.js';
import type { Scalar, TransformContext } from '../src/transform/field-transform.js';
import { createTransform, type StrategyArguments } from '../src/transform/strategies.js';

interface Case {
  name: string;
  args: StrategyArguments;
  values: Scalar[];
}

export interface StrategySpeed {
  name: string;
  valuesPerSecond: number;
}

/**
 * Values per second per strategy on one thread, each over distinct values (no cache can help),
 * with TOKENIZE's HMAC as the baseline measured in the same run. TOKENIZE here is the token
 * computation alone; its store write is batched and measured by the HTTP scenarios.
 */
export function strategySpeed(count = 20_000): StrategySpeed[] {
  const keyring = new TenantKeyring(randomBytes(32));
  const tokenizer = new Tokenizer(new TokenFormat('tok'), keyring);
  const context: TransformContext = {
    tokenize: (kind, value) => tokenizer.tokenFor('acme', kind, value),
    keys: keyring.keysFor('acme'),
    detectLists: {},
    reveals: false,
    revealLevel: () => 'TOKEN',
    countRevealed: () => {},
  };
  const n = (i: number, width: number) => String(i).padStart(width, '0');
  const phones = Array.from({ length: count }, (_, i) => `+1 (415) ${n(i % 1000, 3)}-${n(i, 4).slice(-4)}`);
  const cards = Array.from({ length: count }, (_, i) => withLuhn(`4242${n(i, 11)}`).replace(/(\d{4})(?=\d)/g, '$1 '));
  const emails = Array.from({ length: count }, (_, i) => `person.${i}@example.com`);
  const dates = Array.from({ length: count }, (_, i) => `19${n(40 + (i % 60), 2)}-${n(1 + (i % 12), 2)}-${n(1 + (i % 28), 2)}`);
  const incomes = Array.from({ length: count }, (_, i) => 20_000 + i);
  const cases: Case[] = [
    { name: 'TOKENIZE (token HMAC, baseline)', args: { strategy: 'TOKENIZE' }, values: emails },
    { name: 'FORMAT_PRESERVING phone (FF1, 11 digits)', args: { strategy: 'FORMAT_PRESERVING' }, values: phones },
    { name: 'FORMAT_PRESERVING card (FF1, keep last 4, Luhn)', args: { strategy: 'FORMAT_PRESERVING', formatPreserving: { keepLast: 4, luhn: true } }, values: cards },
    { name: 'MASK email (by shape)', args: { strategy: 'MASK' }, values: emails },
    { name: 'MASK card (keepLast 4)', args: { strategy: 'MASK', mask: { keepLast: 4 } }, values: cards },
    { name: 'HASH (HMAC-SHA256, hex 16)', args: { strategy: 'HASH', hash: { length: 16 } }, values: emails },
    { name: 'REDACT', args: { strategy: 'REDACT' }, values: emails },
    { name: 'GENERALIZE date -> YEAR', args: { strategy: 'GENERALIZE', generalize: { to: 'YEAR' } }, values: dates },
    { name: 'GENERALIZE date -> AGE_BAND', args: { strategy: 'GENERALIZE', generalize: { to: 'AGE_BAND' } }, values: dates },
    { name: 'NOISE (Laplace, seeded HMAC)', args: { strategy: 'NOISE', noise: { epsilon: 1, sensitivity: 1000 } }, values: incomes },
  ];
  return cases.map(({ name, args, values }) => {
    const { transform } = createTransform(args, { type: 'String', nullable: true });
    const kind = 'k';
    for (const value of values.slice(0, 500)) transform(value, kind, context); // warm up
    const started = performance.now();
    for (const value of values) transform(value, kind, context);
    return { name, valuesPerSecond: values.length / ((performance.now() - started) / 1000) };
  });
}

export function formatStrategySpeed(results: StrategySpeed[]): string {
  const baseline = results[0]!.valuesPerSecond;
  const rows = results.map((r) => `| ${r.name} | ${Math.round(r.valuesPerSecond).toLocaleString('en-US')} | ${(r.valuesPerSecond / baseline).toFixed(2)}x |`);
  return ['| strategy (one thread, distinct values) | values/s | vs TOKENIZE |', '|---|---:|---:|', ...rows].join('\n');
}

function withLuhn(body: string): string {
  for (let digit = 0; digit < 10; digit++) if (luhn(body + digit)) return body + digit;
  throw new Error('unreachable');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(formatStrategySpeed(strategySpeed()));
}
