import type { Identity } from '../auth/identity.js';
import { mayReveal, revealLevelFor, type RevealLevel } from '../auth/reveal.js';
import type { AuditRecord } from '../audit.js';
import type { JsonValue } from '../json.js';
import type { DetectLists } from '../detect/detect.js';
import type { Span } from '../detect/span.js';
import type { StrategyKeys } from '../tokens/tenant-keys.js';
import type { RequestVault } from '../vault/vault.js';
import type { TransformContext } from './field-transform.js';

/** One request's TransformContext: its vault for tokens, its tenant's keys, its identity for reveal levels. */
export class RequestPiiContext implements TransformContext {
  readonly reveals: boolean;
  private readonly levels = new Map<string, RevealLevel>();
  private readonly revealed = new Map<string, number>();

  constructor(
    private readonly vault: RequestVault,
    private readonly identity: Identity,
    audit: AuditRecord,
    readonly keys: StrategyKeys,
    readonly detectLists: DetectLists = {},
    readonly spansFor?: (text: string) => Promise<Span[]>,
  ) {
    // Fail closed: a caller who must give a reason and gave none sees tokens only.
    this.reveals = mayReveal(identity) && !(identity.revealRequiresReason && !audit.reason);
  }

  tokenize(kind: string, value: JsonValue): string {
    return this.vault.tokenize(kind, value);
  }

  revealLevel(kind: string): RevealLevel {
    let level = this.levels.get(kind);
    if (!level) this.levels.set(kind, (level = revealLevelFor(this.identity, kind)));
    return level;
  }

  countRevealed(kind: string, level: RevealLevel): void {
    const key = `${kind}:${level.toLowerCase()}`;
    this.revealed.set(key, (this.revealed.get(key) ?? 0) + 1);
  }

  /** `kind:plain` / `kind:masked` -> count, for the audit line. */
  revealedCounts(): ReadonlyMap<string, number> {
    return this.revealed;
  }
}
