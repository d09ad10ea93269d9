import { describe, expect, it } from 'vitest';
import { mayReveal, revealLevelFor } from '../../src/auth/reveal.js';
import { maskValue } from '../../src/transform/mask.js';

const identity = (...scopes: string[]) => ({ tenant: 'acme', subject: 's', scopes: new Set(scopes) });

describe('reveal levels', () => {
  it('grants PLAIN and MASKED per kind or for all kinds, and only explicitly', () => {
    expect(revealLevelFor(identity('pii:reveal'), 'ssn')).toBe('PLAIN');
    expect(revealLevelFor(identity('pii:reveal:email'), 'email')).toBe('PLAIN');
    expect(revealLevelFor(identity('pii:reveal:email'), 'ssn')).toBe('TOKEN');
    expect(revealLevelFor(identity('pii:reveal-masked', 'pii:reveal:email'), 'ssn')).toBe('MASKED');
    expect(revealLevelFor(identity('pii:reveal-masked:ssn'), 'ssn')).toBe('MASKED');
    expect(revealLevelFor(identity('*'), 'email')).toBe('TOKEN');
    expect(mayReveal(identity('*', 'pii:anonymize'))).toBe(false);
    expect(mayReveal(identity('pii:reveal-masked:phone'))).toBe(true);
  });
});

describe('masking', () => {
  it.each([
    ['jane.doe@example.com', 'j***@example.com'],
    ['123-45-6789', '***-**-6789'],
    ['+1 555 013 7788', '+* *** *** 7788'],
    ['4242 4242 4242 4242', '**** **** **** 4242'],
    ['Jane Smith', 'J*** S****'],
    ['Zoë Ångström', 'Z** Å*******'],
    // Text holding an email is text: each word keeps its first character, the address included.
    ['Seen by Dr. Kim. Contact: ann_lee@mail.example.com.', 'S*** b* D*. K**. C******: a**_l**@m***.e******.c**.'],
    ['', ''],
  ])('%j -> %j', (value, masked) => {
    expect(maskValue(value)).toBe(masked);
  });
});
