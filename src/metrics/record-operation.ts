import type { SummaryConsumer } from '../plugins/operation-summary.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/** Adds one operation's summary to the metrics. */
export function recordOperation(metrics: GatewayMetrics): SummaryConsumer {
  return (summary) => {
    const type = summary.operationType ?? 'unknown';
    metrics.operations.inc({ type, outcome: summary.errorCodes[0] ?? 'ok' });
    metrics.operationSeconds.observe({ type }, summary.durationMs / 1000);
    for (const [kind, count] of Object.entries(summary.tokenized)) metrics.tokenized.inc({ kind: metrics.kind(kind) }, count);
    for (const [key, count] of Object.entries(summary.revealed)) {
      const at = key.lastIndexOf(':');
      metrics.revealed.inc({ kind: metrics.kind(key.slice(0, at)), level: key.slice(at + 1) }, count);
    }
    for (const [kind, count] of Object.entries(summary.deanonymized)) metrics.resolved.inc({ kind: metrics.kind(kind) }, count);
    for (const [kind, count] of Object.entries(summary.forgotten)) metrics.forgotten.inc({ kind: metrics.kind(kind) }, count);
    if (summary.unresolved > 0) metrics.unresolved.inc(summary.unresolved);
    if (summary.detectionMs > 0) metrics.detectionSeconds.observe(summary.detectionMs / 1000);
  };
}
