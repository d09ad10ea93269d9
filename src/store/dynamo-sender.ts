/**
 * What DynamoTokenStore needs of a DynamoDB client: to send one of the SDK's low-level commands,
 * abortable. The SDK's DynamoDBClient is one; the embedded store's in-process client
 * (dynalite-direct-client.ts) is the other.
 */
export interface DynamoSender {
  send(command: { input: object }, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}
