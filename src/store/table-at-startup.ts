import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { untilAnswered } from '../startup-wait.js';
import { describeStoreFailure } from './dynamo-token-store.js';
import { ensureTokenTable } from './token-table.js';

/** The token store could not be made ready at startup; the message says what to check. */
export class StoreStartupError extends Error {
  override name = 'StoreStartupError';
}

/** Failures where nothing answered: refused, unresolvable, unreachable, timed out. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'TimeoutError']);

/**
 * Checks the token table, creating it when missing, at startup. A store that does not answer
 * (DynamoDB Local started beside the gateway, not up yet) is asked again every second for up to
 * `waitMs` (untilAnswered), with one `onWaiting` call; one that answers with an error
 * (credentials refused, no permission to create tables) stops startup at once. Errors name the
 * store and the SDK's error class or code, never its message, which can quote request data.
 */
export async function ensureTableAtStartup(
  client: DynamoDBClient,
  options: { table: string; endpoint: string | undefined; region: string; waitMs: number; onWaiting: (reason: string) => void },
): Promise<void> {
  try {
    await untilAnswered(() => ensureTokenTable(client, options.table), {
      waitMs: options.waitMs,
      unreachable: (error) => UNREACHABLE.has(reasonOf(error)),
      onWaiting: (error) => options.onWaiting(reasonOf(error)),
    });
  } catch (error) {
    const reason = reasonOf(error);
    if (!UNREACHABLE.has(reason)) throw new StoreStartupError(`could not check or create the token table ${options.table}: ${describeStoreFailure(reason, options.table)}`);
    const waited = options.waitMs > 0 ? ` within ${options.waitMs / 1000} s (STORE_STARTUP_WAIT)` : '';
    const where = options.endpoint ?? `DynamoDB in ${options.region}`;
    const check = options.endpoint ? 'is it running, and is DYNAMODB_ENDPOINT right?' : 'is AWS_REGION right, and can this machine reach DynamoDB?';
    throw new StoreStartupError(`could not reach the token store at ${where}${waited} (${reason}): ${check}`);
  }
}

/** A network failure's code (ECONNREFUSED ...), else the error's class name. */
function reasonOf(error: unknown): string {
  const { code, name } = error as { code?: string; name?: string };
  return code !== undefined && UNREACHABLE.has(code) ? code : (name ?? 'unknown error');
}
