import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { ensureTableAtStartup, StoreStartupError } from '../../src/store/table-at-startup.js';

/** A client whose every call fails with `error`: the faults a store can answer (or not) with. */
const failing = (error: object) => ({ send: vi.fn(async () => Promise.reject(Object.assign(new Error('message that may quote request data'), error))) }) as unknown as DynamoDBClient & { send: ReturnType<typeof vi.fn> };

describe('the token table at startup', () => {
  it('stops at once, naming the cause by its class, when the store answers with an error', async () => {
    const client = failing({ name: 'UnrecognizedClientException' });
    const onWaiting = vi.fn();
    const attempt = ensureTableAtStartup(client, { table: 'tokens', endpoint: undefined, region: 'eu-west-1', waitMs: 30_000, onWaiting });
    await expect(attempt).rejects.toThrow(StoreStartupError);
    await expect(attempt).rejects.toThrow(
      /^could not check or create the token table tokens: the token store refused the gateway's AWS credentials, or found none \(UnrecognizedClientException\)$/,
    );
    expect(client.send).toHaveBeenCalledTimes(1);
    expect(onWaiting).not.toHaveBeenCalled();
  });

  it('says where it looked when nothing answers, with the hint for AWS itself or for an endpoint', async () => {
    const options = { table: 'tokens', region: 'eu-west-1', waitMs: 0, onWaiting: vi.fn() };
    await expect(ensureTableAtStartup(failing({ code: 'ENOTFOUND' }), { ...options, endpoint: undefined })).rejects.toThrow(
      /^could not reach the token store at DynamoDB in eu-west-1 \(ENOTFOUND\): is AWS_REGION right, and can this machine reach DynamoDB\?$/,
    );
    await expect(ensureTableAtStartup(failing({ name: 'TimeoutError' }), { ...options, endpoint: 'http://db:8000' })).rejects.toThrow(
      /^could not reach the token store at http:\/\/db:8000 \(TimeoutError\): is it running, and is DYNAMODB_ENDPOINT right\?$/,
    );
  });

  it('asks again every second while nothing answers, within the wait', async () => {
    const client = failing({ code: 'ECONNREFUSED' });
    const onWaiting = vi.fn();
    const started = Date.now();
    await expect(ensureTableAtStartup(client, { table: 'tokens', endpoint: 'http://db:8000', region: 'eu-west-1', waitMs: 2500, onWaiting })).rejects.toThrow(
      /within 2\.5 s \(STORE_STARTUP_WAIT\) \(ECONNREFUSED\)/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    // At 0, 1 and 2 s; a slow machine may fit only two.
    expect(client.send.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(client.send.mock.calls.length).toBeLessThanOrEqual(3);
    expect(onWaiting).toHaveBeenCalledTimes(1);
    expect(onWaiting).toHaveBeenCalledWith('ECONNREFUSED');
  });
});
