import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectableKinds, TEXT_RECOGNIZERS } from '../../src/detect/detect.js';
import { parsePolicies, PolicyFileError } from '../../src/policy/policy-file.js';

const GOOD = `# policies for the billing service
policies:
  invoices:
    retention: 90d
    rules:
      - path: customer.email
      - { path: customer.card, strategy: FORMAT_PRESERVING, formatPreserving: { keepLast: 4 } }
      - { path: "lines[*].note", strategy: TEXT }
  tickets:
    detect: true
tenants:
  acme:
    invoices:
      rules: [{ path: customer.email, strategy: HASH }]
`;

describe('policy file', () => {
  it('reads named policies and per tenant overrides', () => {
    const policies = parsePolicies(GOOD, 'policies.yaml');
    const invoices = policies.find('globex', 'invoices')!;
    expect(invoices.retention).toBe(90 * 86400);
    expect(invoices.rules!.map((rule) => [rule.entry, rule.kind, rule.strategy])).toEqual([
      ['customer.email', 'email', 'TOKENIZE'],
      ['customer.card', 'card', 'FORMAT_PRESERVING'],
      ['lines[*].note', 'note', 'TEXT'],
    ]);
    expect(policies.find('acme', 'invoices')!.rules!.map((rule) => rule.strategy)).toEqual(['HASH']);
    expect(policies.find('acme', 'tickets')).toEqual({ rules: null });
    expect(policies.find('acme', 'payroll')).toBeUndefined();
    expect(policies.retentions()).toEqual([90 * 86400]);
    // JSON is YAML too.
    expect(parsePolicies('{"policies": {"p": {"detect": true}}}', 'p.json').find('x', 'p')).toEqual({ rules: null });
    expect(() => parsePolicies('{"policies": {"p": "hunter2"', 'p.json')).toThrow(/^p\.json:1:\d+: not valid JSON \([A-Z_]+\)$/);
  });

  it.each([
    [GOOD.replace('strategy: FORMAT_PRESERVING', 'strategy: SCRAMBLE'), /^policies\.yaml:7:\d+ policies\.invoices\.rules\[1\]\.strategy: .*PiiStrategy/],
    [GOOD.replace('keepLast: 4', 'keepLast: -1'), /^policies\.yaml:7:\d+ policies\.invoices\.rules\[1\]: formatPreserving\.keepLast/],
    [GOOD.replace('path: customer.email\n      - {', 'path: "customer..email"\n      - {'), /^policies\.yaml:6:\d+ policies\.invoices\.rules\[0\]: is not a valid path/],
    [GOOD.replace('retention: 90d', 'retention: 3 months'), /^policies\.yaml:4:\d+ policies\.invoices\.retention: a duration is/],
    [GOOD.replace('detect: true', 'detect: true\n    rules: [{ path: x }]'), /^policies\.yaml:\d+:\d+ policies\.tickets\.detect: scans the whole payload/],
    [GOOD.replace('    detect: true', '    retain: 1d'), /^policies\.yaml:10:\d+ policies\.tickets\.retain: is not a policy setting/],
    [GOOD.replace('tenants:', 'tenant:'), /^policies\.yaml:\d+:\d+ tenant: is not a section/],
    ['policies:\n  a: [\n', /^policies\.yaml:\d+:\d+: not valid YAML/],
  ])('names file, line and setting of a problem (%#)', (text, message) => {
    const parse = () => parsePolicies(text, 'policies.yaml');
    expect(parse).toThrow(PolicyFileError);
    expect(parse).toThrow(message);
  });

  it('refuses TEXT kinds the detectors do not find, at their line; the configured lists count', () => {
    const text = GOOD.replace('strategy: TEXT }', 'strategy: TEXT, text: { kinds: [person, codename] } }');
    const builtIn = detectableKinds(TEXT_RECOGNIZERS);
    expect(() => parsePolicies(text, 'policies.yaml', builtIn)).toThrow(/^policies\.yaml:8:\d+ policies\.invoices\.rules\[2\]\.text\.kinds\[1\]: is not a kind the detectors find$/);
    const withDeny = detectableKinds(TEXT_RECOGNIZERS, { deny: [{ value: 'Project Falcon', kind: 'codename' }] });
    expect(parsePolicies(text, 'policies.yaml', withDeny).find('x', 'invoices')?.rules).toHaveLength(3);
  });

  it('accepts the example file of the docs', () => {
    const policies = parsePolicies(readFileSync(new URL('../../docs/policies.example.yaml', import.meta.url), 'utf8'), 'docs/policies.example.yaml');
    expect(policies.find('acme', 'invoices')!.rules!.map((rule) => rule.strategy)).toEqual(['HASH']);
    expect(policies.find('globex', 'invoices')!.rules).toHaveLength(5);
  });

  it('never quotes a value', () => {
    const text = GOOD.replace('strategy: FORMAT_PRESERVING', 'strategy: "jane.doe@example.com"').replace('path: customer.email', 'path: "jane.doe@example.com[["');
    expect(() => parsePolicies(text, 'p.yaml')).toThrow(PolicyFileError);
    expect(() => parsePolicies(text, 'p.yaml')).not.toThrow(/jane/);
  });
});
