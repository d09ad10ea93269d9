/**
 * What one request did with personal data, gathered while it runs and written by the audit
 * plugin: counts and kinds, never values.
 */
export class AuditRecord {
  /** Tokens resolved to originals by deanonymize, per kind. */
  readonly deanonymized = new Map<string, number>();
  /** Tokens deanonymize could not resolve (unknown, expired, another tenant's). */
  unresolved = 0;
  /** Why the caller asked for originals (deanonymize's `reason`, or the x-pii-reason header). */
  reason: string | undefined;
  /** Mappings deleted by forget / forgetValues, per kind. */
  readonly forgotten = new Map<string, number>();
  /** Erasure targets that had no live mapping. */
  forgetNotFound = 0;
  /** Milliseconds spent finding personal data in text. */
  detectionMs = 0;

  constructor(reason?: string) {
    this.reason = reason;
  }

  /** Runs a detection and adds its time. */
  timeDetection<T>(detect: () => T): T {
    const started = performance.now();
    try {
      return detect();
    } finally {
      this.detectionMs += performance.now() - started;
    }
  }

  countForgotten(kinds: ReadonlyMap<string, number>, notFound: number): void {
    addCounts(this.forgotten, kinds);
    this.forgetNotFound += notFound;
  }

  countDeanonymized(kinds: ReadonlyMap<string, number>, unresolved: number): void {
    addCounts(this.deanonymized, kinds);
    this.unresolved += unresolved;
  }
}

function addCounts(into: Map<string, number>, counts: ReadonlyMap<string, number>): void {
  for (const [kind, count] of counts) into.set(kind, (into.get(kind) ?? 0) + count);
}

/** A reason is free text an operator wrote for the audit trail; it is kept short. */
export function auditReason(raw: string | null | undefined): string | undefined {
  const trimmed = raw?.replace(/[\u0000-\u001f]/g, ' ').trim();
  return trimmed ? trimmed.slice(0, 200) : undefined;
}
