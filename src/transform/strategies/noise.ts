import { createHmac } from 'node:crypto';
import { holdsNumber, StrategyOptionError, type FieldTransform, type StrategyTarget } from '../field-transform.js';
import { numberOf } from './generalize.js';

export interface NoiseOptions {
  epsilon: number;
  sensitivity?: number | null;
  decimals?: number | null;
}

const INT_MAX = 2 ** 31 - 1;

/**
 * NOISE: the value plus Laplace noise of scale sensitivity/epsilon. The noise is drawn from an
 * HMAC of (kind, options, value) under the tenant's noise key, so asking again returns the same
 * answer and averaging many answers does not wash it out. Field-level noise only: nothing
 * accounts for a privacy budget across fields or queries.
 */
export function noise(given: NoiseOptions | undefined, target: StrategyTarget): FieldTransform {
  if (!given) throw new StrategyOptionError('NOISE needs noise: { epsilon: … }');
  const numeric = holdsNumber(target) || target.type === 'String';
  if (!numeric) throw new StrategyOptionError(`NOISE needs an Int, Float or String field, not ${target.type}`);
  const { epsilon } = given;
  const sensitivity = given.sensitivity ?? 1;
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new StrategyOptionError('noise.epsilon must be a number greater than 0');
  if (!(sensitivity > 0) || !Number.isFinite(sensitivity)) throw new StrategyOptionError('noise.sensitivity must be a number greater than 0');
  const decimals = target.type === 'Int' ? 0 : given.decimals;
  if (decimals != null && (!Number.isInteger(decimals) || decimals < 0 || decimals > 10)) {
    throw new StrategyOptionError('noise.decimals must be a whole number from 0 to 10');
  }
  const scale = sensitivity / epsilon;
  const seedPrefix = `${epsilon}\0${sensitivity}\0`;
  return (value, kind, context) => {
    const n = numberOf(value);
    const seed = createHmac('sha256', context.keys.noise).update(`${kind}\0${seedPrefix}${n}`).digest();
    let noisy = n + laplace(uniform(seed), scale);
    if (decimals != null) noisy = Number(noisy.toFixed(decimals));
    if (target.type === 'Int') noisy = Math.max(-INT_MAX - 1, Math.min(INT_MAX, noisy));
    return typeof value === 'string' ? String(noisy) : noisy;
  };
}

/** A uniform number in (0, 1) from 53 bits of the seed; never exactly 0 or 1. */
function uniform(seed: Buffer): number {
  const bits = seed.readUIntBE(0, 6) * 2 ** 5 + (seed[6]! >>> 3);
  return (bits + 0.5) / 2 ** 53;
}

/** Inverse CDF of the Laplace distribution with mean 0. */
export function laplace(u: number, scale: number): number {
  const centered = u - 0.5;
  return -scale * Math.sign(centered) * Math.log(1 - 2 * Math.abs(centered));
}
