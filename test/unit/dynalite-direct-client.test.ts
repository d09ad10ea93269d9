import type { IncomingMessage, ServerResponse } from 'node:http';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynaliteDirectClient } from '../../src/store/dynalite-direct-client.js';

// What dynalite itself answers through this client is covered by the contract test
// (test/integration/dynalite-direct-client.test.ts); these are the client's own paths, with
// listeners in dynalite's style.
interface Seen {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string;
}

function answering(status: number, answer: string, seen: Seen = {}): DynaliteDirectClient {
  return new DynaliteDirectClient((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      Object.assign(seen, { method: req.method, url: req.url, headers: req.headers, body });
      res.statusCode = status;
      res.setHeader('x-amz-crc32', 42);
      res.end(answer);
    });
  });
}

describe('DynaliteDirectClient', () => {
  it("hands dynalite a request as the SDK would send it, binary values in base64, and what is undefined left out", async () => {
    const seen: Seen = {};
    const client = answering(200, '{}', seen);
    await client.send(new PutItemCommand({ TableName: 'pii_tokens', Item: { pk: { S: 'é' }, ct: { B: Uint8Array.from([0, 1, 255]) }, set: { BS: [Uint8Array.from([7])] }, m: { M: { B: { S: 'x' } } } }, ConditionExpression: undefined }));
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/');
    expect(seen.headers).toMatchObject({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' });
    expect(seen.headers!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=\S+, SignedHeaders=\S+, Signature=\S+$/);
    expect(seen.headers!['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(Number(seen.headers!['content-length'])).toBe(Buffer.byteLength(seen.body!));
    expect(JSON.parse(seen.body!)).toEqual({ TableName: 'pii_tokens', Item: { pk: { S: 'é' }, ct: { B: 'AAH/' }, set: { BS: ['Bw=='] }, m: { M: { B: { S: 'x' } } } } });
  });

  it('returns binary values of the answer as bytes of their own, wherever they stand, and nothing else changed', async () => {
    const answer = { Item: { pk: { S: 'k' }, B: { S: 'an attribute named B' }, ct: { B: 'AAH/' }, set: { BS: ['Bw==', ''] }, l: { L: [{ B: 'AQ==' }, { M: { B: { B: 'Ag==' } } }] }, n: { N: '1' } } };
    const output = (await answering(200, JSON.stringify(answer)).send(new GetItemCommand({ TableName: 'pii_tokens', Key: { pk: { S: 'k' } } }))) as { Item: Record<string, Record<string, unknown>> };
    expect(output.Item).toEqual({
      pk: { S: 'k' },
      B: { S: 'an attribute named B' },
      ct: { B: Uint8Array.from([0, 1, 255]) },
      set: { BS: [Uint8Array.from([7]), new Uint8Array(0)] },
      l: { L: [{ B: Uint8Array.from([1]) }, { M: { B: { B: Uint8Array.from([2]) } } }] },
      n: { N: '1' },
    });
    const bytes = output.Item.ct!.B as Uint8Array;
    expect(bytes).toBeInstanceOf(Uint8Array);
    // Not a view of Buffer's 8 KiB pool: posted to another thread, it carries its 3 bytes only.
    expect(bytes.buffer.byteLength).toBe(3);
  });

  it("names a refusal after dynalite's __type, as the SDK does, and never quotes its message", async () => {
    const refusal = { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed for jane@example.com' };
    const failure = (await answering(400, JSON.stringify(refusal)).send(new GetItemCommand({ TableName: 'pii_tokens', Key: {} })).catch((error: unknown) => error)) as Error;
    expect(failure.name).toBe('ConditionalCheckFailedException');
    expect(failure.message).toBe('the embedded store answered ConditionalCheckFailedException (HTTP 400)');
    for (const [status, body] of [
      [413, ''],
      [500, 'not json'],
      [200, 'null'],
      [400, '{"message":"no type"}'],
    ] as const) {
      const error = (await answering(status, body).send(new GetItemCommand({ TableName: 'pii_tokens', Key: {} })).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe('UnknownError');
      expect(error.message).toBe(`the embedded store answered UnknownError (HTTP ${status})`);
    }
  });

  it('answers an InternalServerError when dynalite throws, instead of ending its thread', async () => {
    const client = new DynaliteDirectClient(() => {
      throw new Error('unexpected');
    });
    await expect(client.send(new GetItemCommand({ TableName: 'pii_tokens', Key: {} }))).rejects.toMatchObject({ name: 'InternalServerError' });
  });

  it('stops waiting when the call is aborted, before or during', async () => {
    const client = new DynaliteDirectClient(() => {}); // never answers
    const command = new GetItemCommand({ TableName: 'pii_tokens', Key: {} });
    await expect(client.send(command, { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    const controller = new AbortController();
    const waiting = client.send(command, { abortSignal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a command the token store never sends, before dynalite sees it', async () => {
    let called = false;
    const client = new DynaliteDirectClient(() => {
      called = true;
    });
    await expect(client.send(new CreateTableCommand({ TableName: 'x', KeySchema: [], AttributeDefinitions: [] }))).rejects.toThrow(new TypeError('the in-thread store client does not send CreateTableCommand'));
    expect(called).toBe(false);
  });
});
