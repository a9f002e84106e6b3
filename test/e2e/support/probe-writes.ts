import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { localCredentials } from '../../../local/aws/credentials';
import { describeShards, findLatestStreamArn } from '../../../local/dynamodb-streams/stream-reader';
import type { RouterHarness } from '../../../local/harness/router-harness';
import { REPLICATION_PROBE_ID } from '../../../shared/adapters/ledger/ledger-queries';
import { tableLayout } from '../../../stages/lib/table-layout';

/** Stream records in one region's replica whose keys pass `match`, read from the start of every shard. */
const countRecords = async (
  client: DynamoDBStreamsClient,
  tableName: string,
  match: (keys: Record<string, { S?: string }>) => boolean,
): Promise<number> => {
  const streamArn = await findLatestStreamArn(client, tableName);
  let count = 0;
  for (const shard of await describeShards(client, streamArn)) {
    let iterator = (
      await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const records = page.Records ?? [];
      count += records.filter((r) => match((r.dynamodb?.Keys ?? {}) as Record<string, { S?: string }>)).length;
      // An open shard always answers with a next iterator: an empty page is its end for now.
      iterator = records.length > 0 ? page.NextShardIterator : undefined;
    }
  }
  return count;
};

/**
 * How many replication probe rows the health function has written so far, per zone table, summed
 * over regions: each region's own writes, told apart from replicated ones by the row's sort key
 * (the writing region). The meter cannot tell them from the event path's writes; the streams can.
 */
export const countProbeWrites = async (harness: RouterHarness): Promise<Map<string, number>> => {
  const { config, stage } = harness.rc.router;
  const counts = new Map<string, number>();
  for (const table of tableLayout(stage, config).filter((t) => t.zone)) {
    for (const region of table.regions) {
      const client = new DynamoDBStreamsClient({
        region,
        endpoint: harness.rc.cloud.endpoints.dynamodbEngine,
        credentials: localCredentials,
      });
      try {
        const own = await countRecords(
          client,
          table.name,
          (k) => k.id?.S === REPLICATION_PROBE_ID && k.sk?.S === region,
        );
        counts.set(table.name, (counts.get(table.name) ?? 0) + own);
      } finally {
        client.destroy();
      }
    }
  }
  return counts;
};
