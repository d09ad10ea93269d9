import { EventEmitter } from 'node:events';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';

/**
 * The DynamoDB client's transport to a dynalite in the same thread: each request goes straight
 * to the request handler dynalite's HTTP server runs (the same validation, actions and
 * answers) instead of through a loopback socket. The SDK still builds, signs and parses every
 * call as it does for DynamoDB, so the store code is the one production runs.
 *
 * dynalite reads a request's method, url and lower-case headers, listens for its body, and
 * ends the response with one string; that is all the stand-ins below provide.
 */
export class DynaliteDirectHandler implements RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(private readonly listener: RequestListener) {}

  handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const signal = options.abortSignal as AbortSignal | undefined;
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      // As over HTTP, a call aborted (at its deadline) stops waiting; dynalite's answer is dropped.
      const onAbort = () => reject(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      const incoming = Object.assign(new EventEmitter(), { method: request.method, url: urlOf(request), headers: lowerCased(request.headers) });
      const response = new StandInResponse((answer) => {
        signal?.removeEventListener('abort', onAbort);
        resolve({ response: answer });
      });
      try {
        this.listener(incoming as unknown as IncomingMessage, response as unknown as ServerResponse);
        incoming.emit('data', bodyBytes(request.body));
        incoming.emit('end');
      } catch {
        // What dynalite did not expect, it throws; over HTTP that would end its thread.
        response.statusCode = 500;
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError' }));
      }
    });
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

class StandInResponse {
  statusCode = 200;
  private readonly headers: Record<string, string> = {};
  private ended = false;

  constructor(private readonly onEnd: (response: HttpResponse) => void) {}

  setHeader(name: string, value: string | number): void {
    this.headers[name.toLowerCase()] = String(value);
  }

  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  end(body: string = ''): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd({ statusCode: this.statusCode, headers: this.headers, body: Buffer.from(body) });
  }
}

function urlOf(request: HttpRequest): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) query.append(name, one ?? '');
  }
  const search = query.toString();
  return search ? `${request.path}?${search}` : request.path;
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return lower;
}

function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // DynamoDB's JSON protocol sends strings; a stream body would be a change of the SDK.
  throw new TypeError('the in-thread store transport sends string or byte bodies only');
}

function abortError(): Error {
  return Object.assign(new Error('the store call was aborted'), { name: 'AbortError' });
}
