import { describe, expect, it } from 'vitest';
import { useGateway } from '../support/gateway-fixture.js';

// GET /metrics in Prometheus text format, from real operations against dynalite.
const t = useGateway();

async function scrape(): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(t.gateway.url.replace('/graphql', '/metrics'));
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one sample line, 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GET /metrics', () => {
  it('counts operations, tokens, reveals, store calls and cache lookups, with no value or token in any label', async () => {
    const before = (await scrape()).text;
    const secret = 'metrics.person@example.com';
    const anonymized = await t.gateway.gql('mutation($p: JSON!) { anonymize(payload: $p, fields: ["a:email", "b:person"]) { payload } }', {
      p: { a: secret, b: 'Zoë Metrics' },
    });
    const token = anonymized.body.data!.anonymize.payload.a as string;
    await t.gateway.gql('mutation($p: JSON!) { deanonymize(payload: $p) { resolved } }', { p: [token, 'tok_email_AAAAAAAAAAAAAAAAAAAAAAAA'] });
    await t.gateway.gql('{ patients(first: 2) { name email } }');
    await t.gateway.gql('{ patients(first: 2) { name email } }');
    await t.gateway.gql('mutation { anonymizeText(text: "Write to ann.metrics@example.com", mode: PLACEHOLDERS) { text } }');
    await t.gateway.gql('{ nope }');
    await t.gateway.post(JSON.stringify({ query: '{ patients(first: 3) { email ssn } }' }), { 'x-test-scopes': 'pii:reveal:email pii:reveal-masked:ssn' });

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    const grew = (series: string) => sample(text, series) - sample(before, series);
    expect(grew('pii_gateway_operations_total{type="mutation",outcome="ok"}')).toBe(3);
    expect(grew('pii_gateway_operations_total{type="query",outcome="ok"}')).toBe(3);
    expect(grew('pii_gateway_values_revealed_total{kind="email",level="plain"}')).toBe(3);
    expect(grew('pii_gateway_values_revealed_total{kind="ssn",level="masked"}')).toBe(3);
    expect(grew('pii_gateway_operations_total{type="unknown",outcome="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(grew('pii_gateway_values_tokenized_total{kind="email"}')).toBe(5); // 1 anonymized + 2 x 2 served
    expect(grew('pii_gateway_values_tokenized_total{kind="person"}')).toBe(5);
    expect(grew('pii_gateway_tokens_resolved_total{kind="email"}')).toBe(1);
    expect(grew('pii_gateway_tokens_unresolved_total')).toBe(1);
    expect(grew('pii_gateway_store_requests_total{operation="put",outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(grew('pii_gateway_store_requests_total{operation="get",outcome="ok"}')).toBe(1);
    expect(grew('pii_gateway_store_batch_size_count{operation="put"}')).toBeGreaterThanOrEqual(2);
    expect(grew('pii_gateway_mappings_written_total')).toBeGreaterThanOrEqual(4);
    // The second demo query found its four values in the cache.
    expect(grew('pii_gateway_token_cache_lookups_total{result="hit"}')).toBeGreaterThanOrEqual(4);
    expect(grew('pii_gateway_detection_duration_seconds_count')).toBe(1);
    expect(sample(text, 'pii_gateway_process_resident_memory_bytes')).toBeGreaterThan(0);

    expect(text).not.toMatch(/tok_|example\.com|Zo[eë]/);
  });

  it('caps the kind labels a caller can create', async () => {
    const fields = Array.from({ length: 210 }, (_, i) => `v${i}:kind_${i}`);
    const payload = Object.fromEntries(fields.map((_, i) => [`v${i}`, `value ${i}`]));
    await t.gateway.gql('mutation($p: JSON!, $f: [String!]) { anonymize(payload: $p, fields: $f) { tokenized } }', { p: payload, f: fields });
    const { text } = await scrape();
    const kinds = new Set([...text.matchAll(/pii_gateway_values_tokenized_total\{kind="([^"]+)"\}/g)].map((m) => m[1]));
    expect(kinds.size).toBeLessThanOrEqual(201);
    expect(kinds.has('other')).toBe(true);
  });
});
