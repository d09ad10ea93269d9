import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** At most this many distinct kinds get their own label value; the rest count as `other`. */
const MAX_KIND_LABELS = 200;

/**
 * The gateway's Prometheus metrics (prom-client), in a registry of its own so several apps in
 * one process (the tests) do not collide. No label ever carries a value or a token: labels are
 * operation types, outcomes (error codes), store operations and kinds, and kinds are capped at
 * 200 distinct label values because anonymize lets a caller name a kind.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  private readonly kinds = new Set<string>();

  readonly operations = new Counter({
    name: 'pii_gateway_operations_total',
    help: 'GraphQL operations by type and outcome (ok, or the first error code).',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly operationSeconds = new Histogram({
    name: 'pii_gateway_operation_duration_seconds',
    help: 'Time from request start to response, by operation type.',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly tokenized = new Counter({
    name: 'pii_gateway_values_tokenized_total',
    help: 'Values turned into tokens, by kind (cache hits included).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly mappingsWritten = new Counter({
    name: 'pii_gateway_mappings_written_total',
    help: 'New token mappings written to the store (tokens created).',
    registers: [this.registry],
  });
  readonly revealed = new Counter({
    name: 'pii_gateway_values_revealed_total',
    help: 'Values given to callers in the clear or masked instead of a token, by kind and level.',
    labelNames: ['kind', 'level'] as const,
    registers: [this.registry],
  });
  readonly resolved = new Counter({
    name: 'pii_gateway_tokens_resolved_total',
    help: 'Tokens deanonymized to their originals, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly unresolved = new Counter({
    name: 'pii_gateway_tokens_unresolved_total',
    help: 'Tokens deanonymize could not resolve (unknown, expired, another tenant’s).',
    registers: [this.registry],
  });
  readonly forgotten = new Counter({
    name: 'pii_gateway_mappings_forgotten_total',
    help: 'Mappings deleted by forget / forgetValues, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly shreddedMappingsDeleted = new Counter({
    name: 'pii_gateway_shredded_mappings_deleted_total',
    help: 'Mappings of shredded tenants deleted by the background deletion.',
    registers: [this.registry],
  });
  readonly storeCalls = new Counter({
    name: 'pii_gateway_store_requests_total',
    help: 'Token store calls by operation (put = one batch write, get = one batch read, tenant-key-get / tenant-key-swap = one read / conditional write of a tenant key record) and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly storeSeconds = new Histogram({
    name: 'pii_gateway_store_request_duration_seconds',
    help: 'Token store call latency, retries included.',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly storeBatchSize = new Histogram({
    name: 'pii_gateway_store_batch_size',
    help: 'Items per token store call.',
    labelNames: ['operation'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100],
    registers: [this.registry],
  });
  readonly circuitOpen = new Gauge({
    name: 'pii_gateway_store_circuit_open',
    help: '1 while the token store circuit breaker is open (or half-open), else 0.',
    registers: [this.registry],
  });
  readonly detectionThreadJobs = new Counter({
    name: 'pii_gateway_detection_thread_jobs_total',
    help: 'Detection jobs run on a detection thread (texts or payloads over DETECT_OFFLOAD_BYTES), by recognizer set.',
    labelNames: ['recognizers'] as const,
    registers: [this.registry],
  });
  readonly detectionSeconds = new Histogram({
    name: 'pii_gateway_detection_duration_seconds',
    help: 'Time spent finding personal data in text, per operation.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'pii_gateway_' });
  }

  /** Exposes the token cache's hit and miss counts (kept as plain numbers on the hot path). */
  trackTokenCache(stats: () => { hits: number; misses: number }): void {
    if (this.registry.getSingleMetric('pii_gateway_token_cache_lookups_total')) return;
    new Counter({
        name: 'pii_gateway_token_cache_lookups_total',
        help: 'Token cache lookups by result; hit / (hit + miss) is the hit ratio.',
        labelNames: ['result'] as const,
        registers: [this.registry],
        collect() {
          // Counted as plain numbers on the hot path, read at scrape time.
          const { hits, misses } = stats();
          this.reset();
          this.inc({ result: 'hit' }, hits);
          this.inc({ result: 'miss' }, misses);
        },
      });
  }

  /** A kind as a label value: itself for the first 200 kinds seen, then `other`. */
  kind(kind: string): string {
    if (this.kinds.has(kind)) return kind;
    if (this.kinds.size >= MAX_KIND_LABELS) return 'other';
    this.kinds.add(kind);
    return kind;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
