import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OriginalCipher } from '../../src/tokens/original-cipher.js';
import { TenantKeyring } from '../../src/tokens/tenant-keys.js';
import { kindFromName, MAC_BYTES, MAC_CHARS, TokenFormat } from '../../src/tokens/token-format.js';
import { Tokenizer } from '../../src/tokens/tokenizer.js';

const master = Buffer.alloc(32, 7);
const format = new TokenFormat('tok');
const tokenizer = new Tokenizer(format, new TenantKeyring(master));

describe('token format', () => {
  it('shows the kind and carries at least 128 bits of MAC', () => {
    const token = tokenizer.tokenFor('acme', 'email', 'jane@example.com');
    expect(token).toMatch(new RegExp(`^tok_email_[A-Za-z0-9_-]{${MAC_CHARS}}$`));
    expect(MAC_BYTES * 8).toBeGreaterThanOrEqual(128);
    expect(format.kindOf(token)).toBe('email');
  });

  it('reads kinds with underscores and finds tokens inside text, not inside longer identifiers', () => {
    const token = tokenizer.tokenFor('acme', 'postal_code', '12345');
    expect(format.kindOf(token)).toBe('postal_code');
    const text = `zip: ${token}, again(${token}) not x${token} nor ${token}x`;
    const found = format.findAll(text);
    expect(found.map((m) => m.kind)).toEqual(['postal_code', 'postal_code']);
    expect(found.map((m) => text.slice(m.start, m.end))).toEqual([token, token]);
    expect(format.kindOf(`${token} `)).toBeUndefined();
  });

  it('uses the configured prefix', () => {
    const other = new Tokenizer(new TokenFormat('pii'), new TenantKeyring(master));
    const token = other.tokenFor('acme', 'email', 'a@b.co');
    expect(token.startsWith('pii_email_')).toBe(true);
    expect(format.kindOf(token)).toBeUndefined();
  });

  it('derives kinds from field names', () => {
    expect(kindFromName('dateOfBirth')).toBe('date_of_birth');
    expect(kindFromName('E-Mail')).toBe('e_mail');
    expect(kindFromName('email')).toBe('email');
    expect(kindFromName('123')).toBeUndefined();
  });
});

describe('tokenizer', () => {
  it('is deterministic per tenant, kind and value', () => {
    expect(tokenizer.tokenFor('acme', 'email', 'jane@example.com')).toBe(tokenizer.tokenFor('acme', 'email', 'jane@example.com'));
    const again = new Tokenizer(format, new TenantKeyring(Buffer.from(master)));
    expect(again.tokenFor('acme', 'email', 'jane@example.com')).toBe(tokenizer.tokenFor('acme', 'email', 'jane@example.com'));
  });

  it('separates tenants, kinds and JSON types', () => {
    const base = tokenizer.tokenFor('acme', 'id', '42');
    expect(tokenizer.tokenFor('globex', 'id', '42')).not.toBe(base);
    expect(tokenizer.tokenFor('acme', 'ref', '42').endsWith(base.slice(-MAC_CHARS))).toBe(false);
    expect(tokenizer.tokenFor('acme', 'id', 42)).not.toBe(base);
  });

  it('is keyed: not a hash of the value, and another master key gives other tokens', () => {
    const value = 'jane@example.com';
    const token = tokenizer.tokenFor('acme', 'email', value);
    const mac = token.slice(-MAC_CHARS);
    for (const input of [value, JSON.stringify(value), `email\0${JSON.stringify(value)}`]) {
      expect(createHash('sha256').update(input).digest('base64url').slice(0, MAC_CHARS)).not.toBe(mac);
    }
    const foreign = new Tokenizer(format, new TenantKeyring(randomBytes(32)));
    expect(foreign.tokenFor('acme', 'email', value)).not.toBe(token);
  });
});

describe('original cipher', () => {
  const cipher = new OriginalCipher(new TenantKeyring(master));

  it('round-trips unicode and empty text', () => {
    for (const text of ['"Zoë Ångström 👩‍⚕️"', '""', '42', '{"a":[1,"x"]}']) {
      const blob = cipher.encrypt('acme', 'tok_x_1', text);
      if (text.length > 3) expect(Buffer.from(blob).includes(Buffer.from(text))).toBe(false);
      expect(cipher.decrypt('acme', 'tok_x_1', blob)).toBe(text);
    }
  });

  it('binds the ciphertext to its tenant and token', () => {
    const blob = cipher.encrypt('acme', 'tok_email_a', '"jane@example.com"');
    expect(cipher.decrypt('globex', 'tok_email_a', blob)).toBeUndefined();
    expect(cipher.decrypt('acme', 'tok_email_b', blob)).toBeUndefined();
    const tampered = Buffer.from(blob);
    tampered[20] = tampered[20]! ^ 1;
    expect(cipher.decrypt('acme', 'tok_email_a', tampered)).toBeUndefined();
    expect(cipher.decrypt('acme', 'tok_email_a', Buffer.alloc(5))).toBeUndefined();
  });

  it('uses a fresh IV for every encryption', () => {
    const a = cipher.encrypt('acme', 't', '"same"');
    const b = cipher.encrypt('acme', 't', '"same"');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
