import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { TENANT_NAME } from '../auth/identity.js';
import { checkPolicy } from './policy-definition.js';
import { pathLabel, POLICY_NAME, PolicyError, PolicySet, type Policy } from './policy.js';

/** The policy file cannot be used; the message names file, line and setting, never a value. */
export class PolicyFileError extends Error {
  override name = 'PolicyFileError';
}


/**
 * Reads PII_POLICY_FILE (YAML, so JSON too):
 *
 * ```yaml
 * policies:
 *   invoices:
 *     retention: 90d
 *     rules:
 *       - { path: "customer.email" }
 *       - { path: "customer.card", strategy: FORMAT_PRESERVING, formatPreserving: { keepLast: 4 } }
 *   tickets:
 *     detect: true
 * tenants:
 *   acme:
 *     invoices: { rules: [{ path: "customer.email", strategy: HASH }] }
 * ```
 *
 * Every policy is checked as anonymize would check its rules; the first problem stops startup
 * with `file:line:column policies.invoices.rules[1].mask.char: …`.
 */
export async function loadPolicyFile(file: string, detectableKinds?: ReadonlySet<string>): Promise<PolicySet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PolicyFileError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parsePolicies(text, file, detectableKinds);
}

/** `detectableKinds`: what TEXT rules may name (the detectors' kinds with the configured lists'). */
export function parsePolicies(text: string, file: string, detectableKinds?: ReadonlySet<string>): PolicySet {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    // The parser's own message shows the offending line: only its position and code are kept.
    const { line, col } = first.linePos?.[0] ?? { line: 1, col: 1 };
    // JSON files go through the same YAML parser (JSON is YAML); the message names what was meant.
    throw new PolicyFileError(`${file}:${line}:${col}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'} (${first.code})`);
  }
  const fail = (path: readonly (string | number)[], message: string): never => {
    throw new PolicyFileError(`${file}:${where(doc, lines, path)} ${pathLabel(path) || '(top)'}: ${message}`);
  };
  const root = doc.toJS() as unknown;
  if (!isMap(root)) return fail([], 'the policy file is a map with policies and tenants');
  for (const key of Object.keys(root)) if (key !== 'policies' && key !== 'tenants') fail([key], 'is not a section (policies, tenants)');
  const named = (section: unknown, path: (string | number)[]): Map<string, Policy> => {
    if (section === undefined || section === null) return new Map();
    if (!isMap(section)) return fail(path, 'must map policy names to policies');
    const policies = new Map<string, Policy>();
    for (const [name, definition] of Object.entries(section)) {
      if (!POLICY_NAME.test(name)) fail([...path, name], 'policy names are 1-64 letters, digits, ".", "_" or "-"');
      try {
        policies.set(name, checkPolicy(definition, { quoteKeys: true, ...(detectableKinds ? { detectableKinds } : {}) }));
      } catch (error) {
        if (error instanceof PolicyError) fail([...path, name, ...error.path], error.message);
        throw error;
      }
    }
    return policies;
  };
  const global = named(root.policies, ['policies']);
  const byTenant = new Map<string, Map<string, Policy>>();
  if (root.tenants !== undefined && root.tenants !== null) {
    if (!isMap(root.tenants)) fail(['tenants'], 'must map tenants to their policies');
    for (const [tenant, section] of Object.entries(root.tenants as Record<string, unknown>)) {
      if (!TENANT_NAME.test(tenant)) fail(['tenants', tenant], 'tenant names are 1-64 letters, digits, ".", "_" or "-"');
      byTenant.set(tenant, named(section, ['tenants', tenant]));
    }
  }
  return new PolicySet(global, byTenant);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `line:column` of the deepest node of `path` present in the document. */
function where(doc: Document, lines: LineCounter, path: readonly (string | number)[]): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `${line}:${col}`;
    }
  }
  return '1:1';
}
