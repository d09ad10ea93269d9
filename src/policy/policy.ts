import type { PayloadRule } from '../payload/payload-rules.js';

/** A named set of anonymize rules from the policy file (PII_POLICY_FILE) or validatePolicy. */
export interface Policy {
  /** The rules; null means detect: every string is scanned by the recognizers. */
  rules: PayloadRule[] | null;
  /** Seconds: mappings written under the policy expire after at most this long. */
  retention?: number;
}

export const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A policy definition that does not hold, at a path inside it (for the file's line number). */
export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(
    readonly path: readonly (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/** `policies.invoices.rules[1].mask`, as a reader of the file would name a place in it. */
export function pathLabel(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : text ? `${text}.${step}` : step), '');
}

/** The configured policies: global ones by name, and per tenant ones that replace them. */
export class PolicySet {
  constructor(
    private readonly global: ReadonlyMap<string, Policy> = new Map(),
    private readonly byTenant: ReadonlyMap<string, ReadonlyMap<string, Policy>> = new Map(),
  ) {}

  /** The tenant's own policy of that name, else the global one. */
  find(tenant: string, name: string): Policy | undefined {
    return this.byTenant.get(tenant)?.get(name) ?? this.global.get(name);
  }

  get size(): number {
    return this.global.size + [...this.byTenant.values()].reduce((n, policies) => n + policies.size, 0);
  }

  /** Every retention a policy sets, in seconds: the token cache must not outlive half the shortest. */
  retentions(): number[] {
    const all = [...this.global.values(), ...[...this.byTenant.values()].flatMap((policies) => [...policies.values()])];
    return all.map((policy) => policy.retention).filter((seconds) => seconds !== undefined);
  }
}
