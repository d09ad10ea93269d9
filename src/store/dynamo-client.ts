import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface DynamoClientOptions {
  region: string;
  /** A DynamoDB-compatible endpoint (dynalite, DynamoDB Local); undefined means AWS itself. */
  endpoint?: string | undefined;
  timeoutMs: number;
}

/**
 * A DynamoDB client with keep-alive connections and bounded timeouts, so a store that hangs
 * turns into STORE_UNAVAILABLE instead of a request that never ends.
 *
 * Local endpoints do not check credentials; when none are configured, fixed placeholders are
 * used for them so that `DYNAMODB_ENDPOINT=http://localhost:8000` works without AWS setup.
 */
export function createDynamoClient(options: DynamoClientOptions): DynamoDBClient {
  const placeholderCredentials =
    options.endpoint && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE
      ? { accessKeyId: 'local', secretAccessKey: 'local' }
      : undefined;
  return new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(placeholderCredentials ? { credentials: placeholderCredentials } : {}),
    maxAttempts: 3,
    requestHandler: httpHandler(options.timeoutMs),
  });
}

function httpHandler(timeoutMs: number): NodeHttpHandler {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  return new NodeHttpHandler({
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    // Without it a request past requestTimeout is not ended, only reported with a plain-text
    // console warning per request (a flood on stderr when the store is slow): the SDK changed
    // the default. With it the request fails with a TimeoutError, retried within the deadline.
    throwOnRequestTimeout: true,
    httpAgent: new Agent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
  });
}
