import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from '../support/test-store.js';

/** src/lambda.ts invoked with an API Gateway v2 event, over the embedded store (dynalite). */
let store: TestStore;
let handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
const fixture = path.resolve(import.meta.dirname, '../fixtures/lambda/api-gateway-v2-event.json');

beforeAll(async () => {
  store = await startTestStore({ table: 'pii_tokens_lambda' });
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: store.dynalite.endpoint,
    TOKEN_TABLE: 'pii_tokens_lambda',
    PII_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    DATA_DIR: await mkdtemp(path.join(tmpdir(), 'pii-lambda-')),
    LOG_LEVEL: 'silent',
  });
  ({ handler } = (await import('../../src/lambda.js')) as never);
});
afterAll(() => store.close());

const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

describe('the Lambda handler', () => {
  it('answers an API Gateway v2 event with tokens that are stored', async () => {
    const event = JSON.parse(await readFile(fixture, 'utf8')) as APIGatewayProxyEventV2;
    const result = (await handler(event, context)) as { statusCode: number; body: string; headers: Record<string, string> };
    expect(result.statusCode).toBe(200);
    const { data } = JSON.parse(result.body);
    expect(data.anonymize).toEqual({ payload: { email: expect.stringMatching(/^tok_email_/) }, tokenized: 1 });
    expect(store.count('BatchWriteItem')).toBe(1);

    const back = { ...event, body: JSON.stringify({ query: 'mutation($p: JSON!) { deanonymize(payload: $p) { payload } }', variables: { p: data.anonymize.payload } }) };
    const restored = (await handler(back, context)) as { body: string };
    expect(JSON.parse(restored.body).data.deanonymize.payload).toEqual({ email: 'ann@example.com' });
  });

  it('refuses an integer a double would round, as the HTTP server does, plain or base64-encoded', async () => {
    const event = JSON.parse(await readFile(fixture, 'utf8')) as APIGatewayProxyEventV2;
    const body = '{"query": "mutation($p: JSON!) { anonymize(payload: $p, fields: [\\"id\\"]) { payload } }", "variables": {"p": {"id": 9007199254740993}}}';
    const before = store.count('BatchWriteItem');
    for (const sent of [{ ...event, body }, { ...event, body: Buffer.from(body).toString('base64'), isBase64Encoded: true }]) {
      const result = (await handler(sent, context)) as { statusCode: number; body: string };
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body).errors[0]).toMatchObject({ message: expect.stringMatching(/^An integer in the request body is beyond ±2\^53/), extensions: { code: 'BAD_REQUEST' } });
      expect(result.body).not.toContain('9007199254740993');
    }
    expect(store.count('BatchWriteItem')).toBe(before);
  });
});
