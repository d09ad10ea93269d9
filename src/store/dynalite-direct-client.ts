import { EventEmitter } from 'node:events';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoSender } from './dynamo-sender.js';

/** The commands the token store sends, by DynamoDB operation name. */
const OPERATIONS = new Map<Function, string>([
  [BatchGetItemCommand, 'BatchGetItem'],
  [BatchWriteItemCommand, 'BatchWriteItem'],
  [DeleteItemCommand, 'DeleteItem'],
  [DescribeTableCommand, 'DescribeTable'],
  [GetItemCommand, 'GetItem'],
  [PutItemCommand, 'PutItem'],
  [ScanCommand, 'Scan'],
  [UpdateItemCommand, 'UpdateItem'],
]);

/**
 * dynalite wants a request to look signed (an AWS4 Authorization header with its three parts,
 * and a date) but checks no signature: the embedded store has no credentials to check.
 */
const UNSIGNED = {
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=unsigned',
  'x-amz-date': '20200101T000000Z',
};

/**
 * The token store's client in the embedded store's thread (dynalite-worker.ts): DynamoDB's JSON
 * protocol handed straight to the request handler dynalite's HTTP server runs, which validates,
 * acts and answers exactly as over HTTP. What it leaves out is the AWS SDK's own work on every
 * call (its middleware, endpoint rules, SigV4 signing and schema-driven serialization):
 * 0.5–0.7 ms per call with the I/O taken away, a third of the store thread's busy time under
 * `npm run bench:load` (BENCHMARKS.md, twelfth session). The token store above it is the one
 * production runs on the SDK, and a contract test runs it through both clients against the
 * same dynalite. Every other client of the embedded store (startup's table check, maintenance,
 * the AWS CLI) still goes through its loopback endpoint and the SDK.
 *
 * It speaks what the token store sends: the commands in OPERATIONS, their input in DynamoDB's
 * own JSON form (as the SDK's low-level commands take it), binary values as bytes, base64 on the
 * wire. Answers come back in that form too, binary values (B, BS) as Uint8Array. A refusal
 * becomes an Error named after dynalite's `__type` (ResourceNotFoundException ...), as the SDK
 * names its exceptions, without dynalite's message, which can quote the request. It retries
 * nothing (the SDK retried throttling and 5xx answers): dynalite does not throttle, and the token
 * store's own backoff covers throttling and unprocessed items as it does on DynamoDB.
 */
export class DynaliteDirectClient implements DynamoSender {
  constructor(private readonly listener: RequestListener) {}

  send(command: { input: object }, options: { abortSignal?: AbortSignal } = {}): Promise<unknown> {
    const operation = OPERATIONS.get(command.constructor);
    if (operation === undefined) return Promise.reject(new TypeError(`the in-thread store client does not send ${command.constructor.name}`));
    const signal = options.abortSignal;
    if (signal?.aborted) return Promise.reject(abortError());
    const body = Buffer.from(JSON.stringify(toWire(command.input)));
    return new Promise((resolve, reject) => {
      // As over HTTP, a call aborted (at its deadline) stops waiting; dynalite's answer is dropped.
      const onAbort = () => reject(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}`, 'content-length': String(body.length), ...UNSIGNED };
      const incoming = Object.assign(new EventEmitter(), { method: 'POST', url: '/', headers });
      const response = new StandInResponse((status, text) => {
        signal?.removeEventListener('abort', onAbort);
        try {
          resolve(answerOf(status, text));
        } catch (error) {
          reject(error);
        }
      });
      try {
        this.listener(incoming as unknown as IncomingMessage, response as unknown as ServerResponse);
        incoming.emit('data', body);
        incoming.emit('end');
      } catch {
        // What dynalite did not expect, it throws; over HTTP that would end its thread.
        response.statusCode = 500;
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError' }));
      }
    });
  }
}

/** What dynalite's handler calls on its response: a status, headers (ignored) and one body. */
class StandInResponse {
  statusCode = 200;
  private ended = false;

  constructor(private readonly onEnd: (status: number, body: string) => void) {}

  setHeader(): void {}

  end(body: string = ''): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(this.statusCode, body);
  }
}

/** The answer's JSON, binary values as bytes; or, for a refusal, the error it names. */
function answerOf(status: number, text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (status === 200 && json !== null && typeof json === 'object') return fromWire(json);
  const type = (json as { __type?: unknown } | undefined)?.__type;
  // "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> its last part, as the SDK names it.
  const name = typeof type === 'string' && type.includes('#') ? type.slice(type.lastIndexOf('#') + 1) : 'UnknownError';
  throw Object.assign(new Error(`the embedded store answered ${name} (HTTP ${status})`), { name });
}

/** Input to DynamoDB JSON: bytes (B, BS members) as base64 (JSON.stringify then leaves out what is undefined). */
function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(toWire);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) out[key] = toWire(member);
  return out;
}

/**
 * DynamoDB JSON to what the SDK returns: base64 in B and BS members as bytes. Only an attribute
 * value has a B or BS member holding strings (an attribute or map key named "B" holds an object).
 */
function fromWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromWire);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  for (const [key, member] of Object.entries(object)) {
    if (key === 'B' && typeof member === 'string') object[key] = bytes(member);
    else if (key === 'BS' && Array.isArray(member) && member.every((one) => typeof one === 'string')) object[key] = member.map(bytes);
    else object[key] = fromWire(member);
  }
  return object;
}

/** A copy of its own, not a view of Buffer's shared pool: an answer posted to the gateway's thread carries only its bytes. */
function bytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

function abortError(): Error {
  return Object.assign(new Error('the store call was aborted'), { name: 'AbortError' });
}
