import { createCipheriv, type Cipher } from 'node:crypto';

/** FF1 needs radix^length >= 1,000,000 (NIST SP 800-38G Rev. 1, section 5.2). */
const MIN_DOMAIN = 1_000_000n;
const ROUNDS = 10;

/**
 * FF1, the format-preserving cipher of NIST SP 800-38G (Algorithm 7 and 8), over AES with a
 * 128-, 192- or 256-bit key. A numeral string (digits 0..radix-1) encrypts to another of the
 * same length and radix. Written from the standard and checked against its sample vectors
 * (test/unit/ff1.test.ts); no maintained npm package implements FF1.
 */
export class FF1 {
  private readonly ecb: Cipher;
  private readonly bigRadix: bigint;

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
    const u = Math.floor(n / 2);
    const v = n - u;
    let a = this.num(numerals.slice(0, u));
    let b = this.num(numerals.slice(u));
    // b = ceil(ceil(v * log2(radix)) / 8), computed exactly: ceil(log2 N) is the bit length of N - 1.
    const byteLength = Math.ceil(((this.bigRadix ** BigInt(v)) - 1n).toString(2).length / 8);
    const d = 4 * Math.ceil(byteLength / 4) + 4;
    const t = tweak.length;
    const p = Buffer.alloc(16);
    p.set([1, 2, 1]);
    p.writeUIntBE(this.radix, 3, 3);
    p[6] = 10;
    p[7] = u % 256;
    p.writeUInt32BE(n, 8);
    p.writeUInt32BE(t, 12);
    const padding = (((-t - byteLength - 1) % 16) + 16) % 16;
    const q = Buffer.alloc(t + padding + 1 + byteLength);
    tweak.copy(q, 0);
    const modU = this.bigRadix ** BigInt(u);
    const modV = this.bigRadix ** BigInt(v);
    for (let step = 0; step < ROUNDS; step++) {
      const i = encrypt ? step : ROUNDS - 1 - step;
      q[t + padding] = i;
      writeBigUIntBE(q, encrypt ? b : a, t + padding + 1, byteLength);
      const y = this.roundValue(p, q, d);
      const modulus = i % 2 === 0 ? modU : modV;
      if (encrypt) {
        const c = (a + y) % modulus;
        a = b;
        b = c;
      } else {
        const c = (((b - y) % modulus) + modulus) % modulus;
        b = a;
        a = c;
      }
    }
    return [...this.str(a, u), ...this.str(b, v)];
  }

  /** Steps 6.ii to 6.iv: y = NUM(S), S the first d bytes of R || CIPH(R xor [1]) || ... */
  private roundValue(p: Buffer, q: Buffer, d: number): bigint {
    const r = this.cbcMac(Buffer.concat([p, q]));
    const blocks = [r];
    for (let j = 1; j < Math.ceil(d / 16); j++) {
      const x = Buffer.from(r);
      x.writeUInt32BE((x.readUInt32BE(12) ^ j) >>> 0, 12);
      blocks.push(this.block(x));
    }
    return BigInt(`0x${Buffer.concat(blocks).subarray(0, d).toString('hex')}`);
  }

  /** PRF: CBC-MAC with a zero IV over whole blocks. */
  private cbcMac(data: Buffer): Buffer {
    let y: Buffer = Buffer.alloc(16);
    for (let offset = 0; offset < data.length; offset += 16) {
      const x = Buffer.alloc(16);
      for (let k = 0; k < 16; k++) x[k] = y[k]! ^ data[offset + k]!;
      y = this.block(x);
    }
    return y;
  }

  private block(x: Buffer): Buffer {
    return this.ecb.update(x);
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

function writeBigUIntBE(target: Buffer, value: bigint, offset: number, length: number): void {
  for (let i = offset + length - 1; i >= offset; i--) {
    target[i] = Number(value & 0xffn);
    value >>= 8n;
  }
}
