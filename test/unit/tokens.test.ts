import { createCipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MasterKeyRing, parseMasterKeyRing } from '../../src/tokens/master-key-ring.js';
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

  it('is the same text whether the kind came as one-byte or two-byte text, and never loses a character', () => {
    const mac = randomBytes(MAC_BYTES);
    // Sliced from text with a character past Latin-1, as graphql-js's lexer slices a schema.
    const twoByteKind = 'email…'.slice(0, 5);
    expect(format.format(twoByteKind, mac)).toBe(format.format('email', mac));
    expect(format.kindOf(format.format(twoByteKind, mac))).toBe('email');
    // Kinds are ASCII where they come in; a token is still never changed by its copy.
    expect(format.format('łódź', mac).startsWith('tok_łódź_')).toBe(true);
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

const secret = { id: 'sA', secret: Buffer.alloc(32, 1) };
/** How the tenant's originals are read: with its live secret, legacy sealings allowed. */
const live = { secret, legacyReadable: true };

/** A sealing from before tenant secrets: v1 under the token key, or v2 naming its key. */
function legacySealing(masterKey: Buffer, tenant: string, token: string, plaintext: string, keyId?: string): Buffer {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.from('pii-gateway/hkdf-salt/v1'), `originals-aes-256-gcm\0${tenant}`, 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(keyId === undefined ? `${tenant}\0${token}` : `${tenant}\0${token}\0${keyId}`));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = keyId === undefined ? Buffer.of(1) : Buffer.concat([Buffer.of(2, keyId.length), Buffer.from(keyId, 'ascii')]);
  return Buffer.concat([header, iv, body, cipher.getAuthTag()]);
}

describe('original cipher', () => {
  const cipher = new OriginalCipher(new TenantKeyring(master));

  it('round-trips unicode and empty text', () => {
    for (const text of ['"Zoë Ångström 👩‍⚕️"', '""', '42', '{"a":[1,"x"]}']) {
      const blob = cipher.encrypt('acme', 'tok_x_1', text, secret);
      if (text.length > 3) expect(Buffer.from(blob).includes(Buffer.from(text))).toBe(false);
      expect(cipher.decrypt('acme', 'tok_x_1', blob, live)).toBe(text);
    }
  });

  it('binds the ciphertext to its tenant and token', () => {
    const blob = cipher.encrypt('acme', 'tok_email_a', '"jane@example.com"', secret);
    expect(cipher.decrypt('globex', 'tok_email_a', blob, live)).toBeUndefined();
    expect(cipher.decrypt('acme', 'tok_email_b', blob, live)).toBeUndefined();
    const tampered = Buffer.from(blob);
    tampered[20] = tampered[20]! ^ 1;
    expect(cipher.decrypt('acme', 'tok_email_a', tampered, live)).toBeUndefined();
    expect(cipher.decrypt('acme', 'tok_email_a', Buffer.alloc(5), live)).toBeUndefined();
  });

  it('uses a fresh IV for every encryption, across the draws of its random pool', () => {
    // Same key, text and associated data: two equal blobs would mean a repeated IV. 1,000
    // encryptions span three draws of random bytes.
    const blobs = Array.from({ length: 1000 }, () => cipher.encrypt('acme', 't', '"same"', secret));
    expect(new Set(blobs.map((blob) => Buffer.from(blob).toString('hex'))).size).toBe(1000);
    for (const blob of [blobs[0]!, blobs[340]!, blobs[341]!, blobs[999]!]) expect(cipher.decrypt('acme', 't', blob, live)).toBe('"same"');
  });

  it("needs the tenant's secret: without it, or with another, the master key alone opens nothing", () => {
    const blob = cipher.encrypt('acme', 't', '"x"', secret);
    expect(cipher.secretIdOf(blob)).toBe('sA');
    expect(cipher.decrypt('acme', 't', blob, { legacyReadable: true })).toBeUndefined();
    expect(cipher.decrypt('acme', 't', blob, { secret: { id: 'sB', secret: secret.secret }, legacyReadable: true })).toBeUndefined();
    // Same id, other bytes (a secret shredded and its id reused): the key differs, GCM refuses.
    expect(cipher.decrypt('acme', 't', blob, { secret: { id: 'sA', secret: Buffer.alloc(32, 2) }, legacyReadable: true })).toBeUndefined();
    // Relabelled with another secret id: the associated data no longer matches.
    const relabelled = Buffer.from(blob);
    relabelled.write('sB', 3, 'ascii');
    expect(cipher.secretIdOf(relabelled)).toBe('sB');
    expect(cipher.decrypt('acme', 't', relabelled, { secret: { id: 'sB', secret: secret.secret }, legacyReadable: true })).toBeUndefined();
  });

  it('reads sealings from before tenant secrets only while the tenant allows it (never shredded)', () => {
    const v1 = legacySealing(master, 'acme', 't', '"x"');
    expect(cipher.secretIdOf(v1)).toBeUndefined();
    expect(cipher.decrypt('acme', 't', v1, { legacyReadable: true })).toBe('"x"');
    expect(cipher.decrypt('acme', 't', v1, { secret, legacyReadable: false })).toBeUndefined();
  });
});

describe('master key ring', () => {
  const old = { id: '2025', key: master };
  const next = { id: '2026', key: Buffer.alloc(32, 8) };
  const before = new OriginalCipher(new TenantKeyring(new MasterKeyRing([old])));
  const after = new OriginalCipher(new TenantKeyring(new MasterKeyRing([old, next])));

  it('keeps tokens (and the strategy keys) when a key is added: they derive from the first key only', () => {
    const rotated = new TenantKeyring(new MasterKeyRing([old, next]));
    expect(new Tokenizer(format, rotated).tokenFor('acme', 'email', 'jane@example.com')).toBe(tokenizer.tokenFor('acme', 'email', 'jane@example.com'));
    expect(rotated.keysFor('acme')).toEqual(new TenantKeyring(master).keysFor('acme'));
  });

  it('encrypts under the newest key and still decrypts under the older ones', () => {
    const sealedBefore = before.encrypt('acme', 'tok_email_a', '"jane@example.com"', secret);
    const sealedAfter = after.encrypt('acme', 'tok_email_a', '"jane@example.com"', secret);
    expect([after.keyIdOf(sealedBefore), after.keyIdOf(sealedAfter)]).toEqual(['2025', '2026']);
    expect([after.isCurrent(sealedBefore, '2026'), after.isCurrent(sealedAfter, '2026')]).toEqual([false, true]);
    expect(after.decrypt('acme', 'tok_email_a', sealedBefore, live)).toBe('"jane@example.com"');
    expect(after.decrypt('acme', 'tok_email_a', sealedAfter, live)).toBe('"jane@example.com"');
    // A ring without the key that sealed it cannot read it.
    expect(before.decrypt('acme', 'tok_email_a', sealedAfter, live)).toBeUndefined();
    const withoutOld = new OriginalCipher(new TenantKeyring(new MasterKeyRing([{ id: '2024', key: randomBytes(32) }, next])));
    expect(withoutOld.decrypt('acme', 'tok_email_a', sealedBefore, live)).toBeUndefined();
  });

  it('seals under the token key without naming it, so renaming the token key loses nothing', () => {
    const sealed = before.encrypt('acme', 'tok_email_a', '"jane@example.com"', secret);
    expect([sealed[0], sealed[1]]).toEqual([3, 0]);
    const renamed = new OriginalCipher(new TenantKeyring(new MasterKeyRing([{ id: 'master', key: master }, next])));
    expect(renamed.keyIdOf(sealed)).toBe('master');
    expect(renamed.decrypt('acme', 'tok_email_a', sealed, live)).toBe('"jane@example.com"');
  });

  it('binds the key id: a blob relabelled with another id of the ring does not decrypt', () => {
    const ring = new MasterKeyRing([old, { id: '2026', key: master }]); // same bytes, other id
    const cipher = new OriginalCipher(new TenantKeyring(ring));
    const sealed = Buffer.from(cipher.encrypt('acme', 't', '"x"', secret));
    expect(cipher.decrypt('acme', 't', sealed, live)).toBe('"x"');
    sealed.write('2025', 2, 'ascii');
    expect(cipher.keyIdOf(sealed)).toBe('2025');
    expect(cipher.decrypt('acme', 't', sealed, live)).toBeUndefined();
  });

  it('reads the ciphertexts of before key rings (v1) with the token key, and v2 with the key they name', () => {
    const v1 = legacySealing(master, 'acme', 'tok_email_a', '"jane@example.com"');
    expect(after.keyIdOf(v1)).toBe('2025');
    expect(after.decrypt('acme', 'tok_email_a', v1, live)).toBe('"jane@example.com"');
    expect(after.decrypt('globex', 'tok_email_a', v1, live)).toBeUndefined();
    const v2 = legacySealing(next.key, 'acme', 'tok_email_a', '"jane@example.com"', '2026');
    expect(after.keyIdOf(v2)).toBe('2026');
    expect(after.decrypt('acme', 'tok_email_a', v2, live)).toBe('"jane@example.com"');
  });

  it('parses PII_MASTER_KEYS and names a bad entry without quoting a key', () => {
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64');
    const ring = parseMasterKeyRing(`2025:${a},\n 2026:${b}`);
    expect([ring.tokenKey.id, ring.current.id, ring.ids]).toEqual(['2025', '2026', ['2025', '2026']]);
    const bad: [string, RegExp][] = [
      ['', /ring is empty/],
      [a, /entry 1 must be id:base64/],
      [`2025:${a},2026:${a.slice(4)}`, /key "2026" must hold base64 of exactly 32 bytes/],
      [`2025:${a},2025:${b}`, /id "2025" appears twice/],
      [`bad/id:${a}`, /ids are 1-32/],
    ];
    for (const [text, message] of bad) {
      const attempt = () => parseMasterKeyRing(text);
      expect(attempt).toThrow(message);
      expect(attempt).toThrow(/^PII_MASTER_KEYS: /);
      expect(attempt).not.toThrow(a.slice(0, 12));
    }
  });
});
