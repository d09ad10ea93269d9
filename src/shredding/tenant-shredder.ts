import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../log.js';
import { forEachLimited } from '../store/batch-limits.js';
import { StoreUnavailableError, type MappingKey, type StoredMapping } from '../store/token-store.js';
import type { OriginalCipher } from '../tokens/original-cipher.js';
import type { StoredTokenCache } from '../vault/stored-token-cache.js';
import type { TenantSecrets } from '../vault/tenant-secrets.js';

/** What deleting a shredded tenant's items needs of a store: to walk the table and delete an item only as it was read. */
export interface ShreddableStore {
  scanPage(cursor: string | undefined, limit: number): Promise<{ mappings: StoredMapping[]; cursor?: string }>;
  deleteIfUnchanged(mapping: MappingKey, ciphertext: Uint8Array): Promise<boolean>;
}

export type ShreddingState = 'WAITING' | 'DELETING' | 'DONE' | 'FAILED';

/** A shredding's progress, as shredTenant and tenantShredding report it. */
export interface ShreddingProgress {
  tenant: string;
  state: ShreddingState;
  /** Epoch ms: when the tenant's secret was destroyed (its originals unreadable from then on). */
  keyRetiredAt: number;
  /** Epoch ms: when the deletion starts scanning, once every instance's cached secret has aged out. */
  deletionStartsAt: number;
  /** Items of the whole table looked at (the tenant's and others'). */
  scanned: number;
  /** The tenant's mappings deleted. */
  deleted: number;
  /** The tenant's mappings left alone: sealed with its new secret (written after the shredding), or changed or gone since the scan read them. */
  kept: number;
  finishedAt?: number;
  /** Why a FAILED deletion stopped; calling shredTenant again shreds and deletes anew. */
  failure?: string;
}

/** Who asked, for the audit line. */
export interface ShredRequest {
  tenant: string;
  subject: string;
  requestId: string;
  reason: string | undefined;
}

export interface TenantShredderOptions {
  secrets: TenantSecrets;
  cipher: OriginalCipher;
  cache: StoredTokenCache;
  /** The store's maintenance side; without one, shredding still destroys the secret but deletes nothing. */
  store: ShreddableStore | undefined;
  logger: Logger;
  pageSize?: number;
  onDeleted?: (count: number) => void;
}

/** A deletion that cannot run here; its message is this project's own and safe to report. */
class ShreddingError extends Error {
  override name = 'ShreddingError';
}

interface Job {
  progress: ShreddingProgress;
  stop: AbortController;
  finished: Promise<void>;
}

/**
 * Crypto-shredding of a tenant. First, at once and before answering, the tenant's secret is
 * destroyed (TenantSecrets.shred): every original of the tenant is unreadable from then on, on
 * this instance immediately and on the others once their cached record ages out
 * (TENANT_KEY_CACHE_MAX_AGE). Then, in the background, after that same age (so no instance can
 * still be writing under the old secret), the tenant's items are deleted: a scan of the table,
 * each item deleted only if it still holds what was read, and items sealed with the tenant's new
 * secret (written after the shredding) kept. Progress is held per tenant on this instance.
 */
export class TenantShredder {
  private readonly jobs = new Map<string, Job>();
  /** Per tenant, the shredding being started: two calls at once run one after the other. */
  private readonly starting = new Map<string, Promise<unknown>>();

  constructor(private readonly options: TenantShredderOptions) {}

  async shred(request: ShredRequest): Promise<ShreddingProgress> {
    const { tenant } = request;
    const started = (this.starting.get(tenant) ?? Promise.resolve()).catch(() => undefined).then(() => this.start(request));
    this.starting.set(tenant, started);
    try {
      return await started;
    } finally {
      if (this.starting.get(tenant) === started) this.starting.delete(tenant);
    }
  }

  private async start(request: ShredRequest): Promise<ShreddingProgress> {
    const { tenant } = request;
    // A new shredding supersedes one in progress: the secret it is about to retire may be newer.
    const previous = this.jobs.get(tenant);
    previous?.stop.abort();
    await previous?.finished;
    const keyRetiredAt = await this.options.secrets.shred(tenant);
    this.options.cache.forgetTenant(tenant);
    const progress: ShreddingProgress = { tenant, state: 'WAITING', keyRetiredAt, deletionStartsAt: keyRetiredAt + this.options.secrets.maxAgeMs, scanned: 0, deleted: 0, kept: 0 };
    this.options.logger.info({ audit: true, event: 'shred-tenant', requestId: request.requestId, tenant, subject: request.subject, reason: request.reason, keyRetiredAt: new Date(keyRetiredAt).toISOString() }, 'shred-tenant');
    const stop = new AbortController();
    const job: Job = { progress, stop, finished: Promise.resolve() };
    job.finished = this.deleteItems(job).catch((error: unknown) => this.fail(job, error));
    this.jobs.set(tenant, job);
    return { ...progress };
  }

  /** The latest shredding of the tenant on this instance, if any. */
  progress(tenant: string): ShreddingProgress | undefined {
    const job = this.jobs.get(tenant);
    return job && { ...job.progress };
  }

  /** Stops the deletions in progress (shutdown); a stopped one is FAILED and is resumed by shredding again. */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) job.stop.abort();
    await Promise.all([...this.jobs.values()].map((job) => job.finished));
  }

  private async deleteItems(job: Job): Promise<void> {
    const { progress, stop } = job;
    const { store, secrets, cipher, cache, logger } = this.options;
    if (!store) throw new ShreddingError('this gateway has no maintenance access to its store, so nothing was deleted');
    await sleep(Math.max(0, progress.deletionStartsAt - Date.now()), undefined, { signal: stop.signal });
    // Writes that were in flight at the shredding may have taught the cache tokens again.
    cache.forgetTenant(progress.tenant);
    progress.state = 'DELETING';
    let cursor: string | undefined;
    do {
      stop.signal.throwIfAborted();
      const page = await store.scanPage(cursor, this.options.pageSize ?? 200);
      // Read per page: the tenant may have written again (under a new secret) meanwhile.
      const live = await secrets.current(progress.tenant);
      const liveSecret = live?.secret ? live.id : undefined;
      progress.scanned += page.mappings.length;
      const mine = page.mappings.filter((mapping) => mapping.tenant === progress.tenant);
      let deleted = 0;
      await forEachLimited(mine, 8, async (mapping) => {
        if (liveSecret !== undefined && cipher.secretIdOf(mapping.ciphertext) === liveSecret) progress.kept++;
        // Changed or gone since the scan: rewritten under the live secret, or erased.
        else if (await store.deleteIfUnchanged(mapping, mapping.ciphertext)) deleted++;
        else progress.kept++;
      });
      progress.deleted += deleted;
      if (deleted > 0) this.options.onDeleted?.(deleted);
      cursor = page.cursor;
    } while (cursor);
    progress.state = 'DONE';
    progress.finishedAt = Date.now();
    logger.info({ tenant: progress.tenant, scanned: progress.scanned, deleted: progress.deleted, kept: progress.kept }, 'tenant shredding: items deleted');
  }

  private fail(job: Job, error: unknown): void {
    const { progress } = job;
    progress.state = 'FAILED';
    progress.finishedAt = Date.now();
    // Only messages written by this project: others could quote store data.
    progress.failure = job.stop.signal.aborted
      ? 'stopped (the gateway shut down, or a newer shredding of the tenant took over)'
      : error instanceof StoreUnavailableError || error instanceof ShreddingError
        ? error.message
        : 'the deletion failed unexpectedly';
    this.options.logger[job.stop.signal.aborted ? 'info' : 'error']({ tenant: progress.tenant, deleted: progress.deleted, error: (error as Error)?.name }, `tenant shredding: deletion stopped: ${progress.failure}`);
  }
}
