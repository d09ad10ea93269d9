import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';

/**
 * Lets pages of the configured origins call the GraphQL endpoint from the browser (the `cors`
 * package, the one Express uses). Bearer tokens travel in the Authorization header, never in
 * cookies, so credentials stay off; request headers asked for in a preflight are allowed, as the
 * gateway reads only its own (authorization, x-pii-reason, the forwarded upstream headers).
 * Pages may read the answer's x-request-id, the id of its audit line.
 * Resolves true when it answered the request itself (a preflight), false to go on.
 */
export function corsHandler(origins: readonly string[] | '*'): ((request: IncomingMessage, response: ServerResponse) => Promise<boolean>) | undefined {
  if (origins !== '*' && origins.length === 0) return undefined;
  const middleware = cors({ origin: origins === '*' ? '*' : [...origins], methods: ['GET', 'POST'], exposedHeaders: ['x-request-id'], maxAge: 600 });
  return (request, response) =>
    new Promise<boolean>((resolve, reject) => {
      middleware(request, response, (error?: unknown) => (error ? reject(error) : resolve(false)));
      if (response.writableEnded) resolve(true);
    });
}
