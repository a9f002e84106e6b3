import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startReplicator, type Replicator } from '../../../local/replication/replicator';
import { createStreamMapping, type StreamMapping } from '../../../local/lambda/stream-mapping';
import { QueueStore } from '../../../local/queues/queue-store';
import { RecordingInvoker, startStreamHarness, type StreamHarness } from './stream-mapping-harness';

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export const TABLE = 'switchyard-test-inbox';

/** Three regions with the same table, a replicator between them, and a stream mapping per region. */
export interface ReplicationHarness extends StreamHarness {
  replicator: Replicator;
  /** Every batch each region's stream delivered to its copy of the stream-consumer function. */
  streams: Record<string, RecordingInvoker>;
  /** The item's `v` attribute in a region, or null when the item is absent. */
  readValue(region: string, id: string): Promise<string | null>;
  /** Stream event names seen in a region for one item, in order. */
  streamEvents(region: string, id: string): string[];
}

/** Starts the engine, creates the table in every region, then the replicator and the mappings. */
export const startReplicationHarness = async (lagMs: number): Promise<ReplicationHarness> => {
  const harness = await startStreamHarness(REGIONS);
  await Promise.all(REGIONS.map((region) => harness.createTable(region, TABLE)));
  const replicator = await startReplicator({ regions: REGIONS, tableNames: [TABLE], dynamodbEndpoint: harness.engine.endpoint, lagMs });
  const streams = Object.fromEntries(REGIONS.map((region) => [region, new RecordingInvoker(harness.runtime)]));
  const mappings: StreamMapping[] = await Promise.all(
    REGIONS.map((region) =>
      createStreamMapping({
        region, tableName: TABLE, functionName: 'stream-consumer', invoker: streams[region] as RecordingInvoker,
        dynamodbEndpoint: harness.engine.endpoint, startingPosition: 'LATEST', queues: new QueueStore(),
      }),
    ),
  );
  return {
    ...harness,
    replicator,
    streams,
    readValue: async (region, id) => {
      const out = await harness.client(region).send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ConsistentRead: true }));
      return out.Item ? (out.Item.v?.S ?? '') : null;
    },
    streamEvents: (region, id) =>
      (streams[region]?.invocations ?? []).flatMap((i) => i.records).filter((r) => r.dynamodb?.Keys?.id?.S === id).map((r) => r.eventName ?? '?'),
    stop: async () => {
      await Promise.all(mappings.map((m) => m.stop()));
      await replicator.stop();
      await harness.stop();
    },
  };
};
