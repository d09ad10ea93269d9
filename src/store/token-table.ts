import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * The token table's shape: one string hash key `pk` = `<tenant>#<token>`, on-demand capacity.
 * Items also carry `tenant`, `kind`, `ct` (the encrypted original), `createdAt` and an optional
 * `expiresAt` (epoch seconds) that DynamoDB's TTL can be pointed at.
 */
export async function ensureTokenTable(client: DynamoDBClient, table: string): Promise<'existed' | 'created'> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return 'existed';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    // Another process created it first; waiting below covers that case too.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: table });
  return 'created';
}
