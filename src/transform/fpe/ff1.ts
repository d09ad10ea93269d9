import { createCipheriv, type Cipher } from 'node:crypto';

/** FF1 needs radix^length >= 1,000,000 (NIST SP 800-38G Rev. 1, section 5.2). */
const MIN_DOMAIN = 1_000_000n;
const ROUNDS = 10;

interface Plan {
  u: number;
  v: number;
  b: number;
  d: number;
  padding: number;
  modU: bigint;
  modV: bigint;
  small: boolean;
  modUSmall: number;
  modVSmall: number;
  macOfP: Buffer;
}

/**
 * FF1, the format-preserving cipher of NIST SP 800-38G (Algorithm 7 and 8), over AES with a
 * 128-, 192- or 256-bit key. A numeral string (digits 0..radix-1) encrypts to another of the
 * same length and radix. Written from the standard and checked against its sample vectors
 * (test/unit/ff1.test.ts); no maintained npm package implements FF1.
 */
export class FF1 {
  private readonly ecb: Cipher;
  private readonly bigRadix: bigint;
  private readonly plans = new Map<number, Plan>();

  constructor(
    key: Buffer,
    readonly radix: number,
  ) {
    if (![16, 24, 32].includes(key.length)) throw new RangeError('FF1 needs a 128-, 192- or 256-bit AES key');
    if (!Number.isInteger(radix) || radix < 2 || radix > 65_536) throw new RangeError('FF1 radix must be 2..65536');
    // ECB over one block at a time is the bare block cipher CIPH_K the standard is written in.
    this.ecb = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
    this.bigRadix = BigInt(radix);
  }

  /** The fewest numerals FF1 accepts at this radix. */
  minLength(): number {
    let length = 1;
    while (this.bigRadix ** BigInt(length) < MIN_DOMAIN) length++;
    return length;
  }

  encrypt(numerals: readonly number[], tweak: Buffer): number[] {
    return this.run(numerals, tweak, true);
  }

  decrypt(numerals: readonly number[], tweak: Buffer): number[] {
    return this.run(numerals, tweak, false);
  }

  private run(numerals: readonly number[], tweak: Buffer, encrypt: boolean): number[] {
    const n = numerals.length;
    if (n < this.minLength()) throw new RangeError('FF1 input is shorter than the minimum length for its radix');
    for (const numeral of numerals) {
      if (!Number.isInteger(numeral) || numeral < 0 || numeral >= this.radix) throw new RangeError('FF1 numeral out of range');
    }
    const plan = this.planFor(n, tweak.length);
    const { u, v, b, padding } = plan;
    const t = tweak.length;
    const q = Buffer.alloc(t + padding + 1 + b);
    tweak.copy(q, 0);
    const at = t + padding;
    if (plan.small) {
      // Every numeral string of this length fits a double exactly: the same rounds without BigInt.
      let a = this.numSmall(numerals, 0, u);
      let bb = this.numSmall(numerals, u, n);
      for (let step = 0; step < ROUNDS; step++) {
        const i = encrypt ? step : ROUNDS - 1 - step;
        const modulus = i % 2 === 0 ? plan.modUSmall : plan.modVSmall;
        q[at] = i;
        writeSmallBE(q, encrypt ? bb : a, at + 1, b);
        const y = this.roundBytes(plan, q).reduce((acc, byte) => (acc * 256 + byte) % modulus, 0);
        if (encrypt) [a, bb] = [bb, (a + y) % modulus];
        else [bb, a] = [a, (((bb - y) % modulus) + modulus) % modulus];
      }
      return [...this.strSmall(a, u), ...this.strSmall(bb, v)];
    }
    let a = this.num(numerals.slice(0, u));
    let bb = this.num(numerals.slice(u));
    for (let step = 0; step < ROUNDS; step++) {
      const i = encrypt ? step : ROUNDS - 1 - step;
      const modulus = i % 2 === 0 ? plan.modU : plan.modV;
      q[at] = i;
      writeBigUIntBE(q, encrypt ? bb : a, at + 1, b);
      const y = BigInt(`0x${this.roundBytes(plan, q).toString('hex')}`);
      if (encrypt) [a, bb] = [bb, (a + y) % modulus];
      else [bb, a] = [a, (((bb - y) % modulus) + modulus) % modulus];
    }
    return [...this.str(a, u), ...this.str(bb, v)];
  }

  /** What depends only on the length and tweak length, worked out once (steps 1-5, and CIPH(P)). */
  private planFor(n: number, t: number): Plan {
    const id = n * 65_536 + t;
    let plan = this.plans.get(id);
    if (plan) return plan;
    const u = Math.floor(n / 2);
    const v = n - u;
    const modU = this.bigRadix ** BigInt(u);
    const modV = this.bigRadix ** BigInt(v);
    // b = ceil(ceil(v * log2(radix)) / 8), computed exactly: ceil(log2 N) is the bit length of N - 1.
    const b = Math.ceil((modV - 1n).toString(2).length / 8);
    const p = Buffer.alloc(16);
    p.set([1, 2, 1]);
    p.writeUIntBE(this.radix, 3, 3);
    p[6] = 10;
    p[7] = u % 256;
    p.writeUInt32BE(n, 8);
    p.writeUInt32BE(t, 12);
    plan = {
      u,
      v,
      b,
      d: 4 * Math.ceil(b / 4) + 4,
      padding: (((-t - b - 1) % 16) + 16) % 16,
      modU,
      modV,
      // Below 2^44, (acc * 256 + byte) and (a + y) stay exact in a double.
      small: modV < 2n ** 44n,
      modUSmall: Number(modU),
      modVSmall: Number(modV),
      // The PRF is a CBC-MAC whose first block is always P: its cipher block is the same every round.
      macOfP: this.block(p),
    };
    this.plans.set(id, plan);
    return plan;
  }

  /** Steps 6.ii and 6.iii: S, the first d bytes of R || CIPH(R xor [1]) || ..., R = PRF(P || Q). */
  private roundBytes(plan: Plan, q: Buffer): Buffer {
    // PRF: CBC-MAC with a zero IV, continuing from CIPH(P).
    let r = plan.macOfP;
    for (let offset = 0; offset < q.length; offset += 16) {
      const x = Buffer.allocUnsafe(16);
      for (let k = 0; k < 16; k++) x[k] = r[k]! ^ q[offset + k]!;
      r = this.block(x);
    }
    if (plan.d <= 16) return r.subarray(0, plan.d);
    const blocks = [r];
    for (let j = 1; j < Math.ceil(plan.d / 16); j++) {
      const x = Buffer.from(r);
      x.writeUInt32BE((x.readUInt32BE(12) ^ j) >>> 0, 12);
      blocks.push(this.block(x));
    }
    return Buffer.concat(blocks).subarray(0, plan.d);
  }

  private block(x: Buffer): Buffer {
    return this.ecb.update(x);
  }

  private numSmall(numerals: readonly number[], from: number, to: number): number {
    let value = 0;
    for (let i = from; i < to; i++) value = value * this.radix + numerals[i]!;
    return value;
  }

  private strSmall(value: number, length: number): number[] {
    const out = new Array<number>(length);
    for (let i = length - 1; i >= 0; i--) {
      out[i] = value % this.radix;
      value = Math.floor(value / this.radix);
    }
    return out;
  }

  private num(numerals: readonly number[]): bigint {
    let value = 0n;
    for (const numeral of numerals) value = value * this.bigRadix + BigInt(numeral);
    return value;
  }

  private str(value: bigint, length: number): number[] {
    const out = new Array<number>(length);
    for (let i = length - 1; i >= 0; i--) {
      out[i] = Number(value % this.bigRadix);
      value /= this.bigRadix;
    }
    return out;
  }
}

function writeSmallBE(target: Buffer, value: number, offset: number, length: number): void {
  for (let i = offset + length - 1; i >= offset; i--) {
    target[i] = value % 256;
    value = Math.floor(value / 256);
  }
}

function writeBigUIntBE(target: Buffer, value: bigint, offset: number, length: number): void {
  for (let i = offset + length - 1; i >= offset; i--) {
    target[i] = Number(value & 0xffn);
    value >>= 8n;
  }
}
