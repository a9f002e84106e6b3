import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoProxy } from '../../../local/dynamodb/dynamo-proxy';
import { FaultRegistry } from '../../../local/faults/fault-registry';
import type { Partitions } from '../../../local/faults/partitions';
import { startReplicator, type Replicator } from '../../../local/replication/replicator';
import { createStreamMapping, type StreamMapping } from '../../../local/lambda/stream-mapping';
import { QueueStore } from '../../../local/queues/queue-store';
import { RecordingInvoker, startStreamHarness, type StreamHarness } from './stream-mapping-harness';

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export const TABLE = 'switchyard-test-inbox';

/** Three regions with the same table, a replicator between them, and a stream mapping per region. */
export interface ReplicationHarness extends StreamHarness {
  replicator: Replicator;
  /** Faults of the proxy the replicator and mappings go through, when started with `viaProxy`. */
  faults: FaultRegistry;
  /** Errors the replicator and the mappings reported. */
  errors: unknown[];
  /** Every batch each region's stream delivered to its copy of the stream-consumer function. */
  streams: Record<string, RecordingInvoker>;
  /** The item's `v` attribute in a region, or null when the item is absent. */
  readValue(region: string, id: string): Promise<string | null>;
  /** Stream event names seen in a region for one item, in order. */
  streamEvents(region: string, id: string): string[];
}

/** Starts the engine, creates the table in every region, then the replicator and the mappings. */
export const startReplicationHarness = async (
  lagMs: number,
  options: { viaProxy?: boolean; partitions?: Partitions } = {},
): Promise<ReplicationHarness> => {
  const harness = await startStreamHarness(REGIONS);
  await Promise.all(REGIONS.map((region) => harness.createTable(region, TABLE)));
  const faults = new FaultRegistry();
  const proxy = options.viaProxy
    ? await startDynamoProxy({ engineEndpoint: harness.engine.endpoint, faults })
    : undefined;
  const dynamodbEndpoint = proxy?.endpoint ?? harness.engine.endpoint;
  const errors: unknown[] = [];
  const onError = (error: unknown) => errors.push(error);
  const replicator = await startReplicator({
    regions: REGIONS,
    tableNames: [TABLE],
    dynamodbEndpoint,
    lagMs,
    onError,
    partitions: options.partitions,
  });
  const streams = Object.fromEntries(REGIONS.map((region) => [region, new RecordingInvoker(harness.runtime)]));
  const mappings: StreamMapping[] = await Promise.all(
    REGIONS.map((region) =>
      createStreamMapping({
        region,
        tableName: TABLE,
        functionName: 'stream-consumer',
        invoker: streams[region] as RecordingInvoker,
        dynamodbEndpoint,
        startingPosition: 'LATEST',
        queues: new QueueStore(),
        onError,
      }),
    ),
  );
  return {
    ...harness,
    replicator,
    faults,
    errors,
    streams,
    readValue: async (region, id) => {
      const out = await harness
        .client(region)
        .send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ConsistentRead: true }));
      return out.Item ? (out.Item.v?.S ?? '') : null;
    },
    streamEvents: (region, id) =>
      (streams[region]?.invocations ?? [])
        .flatMap((i) => i.records)
        .filter((r) => r.dynamodb?.Keys?.id?.S === id)
        .map((r) => r.eventName ?? '?'),
    stop: async () => {
      await Promise.all(mappings.map((m) => m.stop()));
      await replicator.stop();
      await proxy?.stop();
      await harness.stop();
    },
  };
};
