import type { TableInstance } from '../../stages/lib/table-layout';
import type { ReplicationCounters } from '../replication/replication-engine';
import { startReplicator, type Replicator, type ReplicatorStatus } from '../replication/replicator';
import type { LocalCloud } from './local-cloud';

/**
 * Replicates each global table only between its own regions, as AWS does: one replicator per
 * distinct region set (a zone's, and every region's for the control table), combined into one.
 */
export const startStageReplication = async (
  cloud: LocalCloud,
  layout: readonly TableInstance[],
  settings: { lagMs: number; pollIntervalMs: number },
): Promise<Replicator> => {
  const groups = new Map<string, { regions: string[]; tables: string[] }>();
  for (const table of layout.filter((t) => t.global && t.regions.length > 1)) {
    const key = table.regions.join(',');
    const group = groups.get(key) ?? { regions: table.regions, tables: [] };
    group.tables.push(table.name);
    groups.set(key, group);
  }
  const replicators = await Promise.all(
    [...groups.values()].map((group) =>
      startReplicator({
        regions: group.regions,
        tableNames: group.tables,
        dynamodbEndpoint: cloud.endpoints.dynamodbEngine,
        partitions: cloud.partitions,
        watermarks: cloud.streamWatermarks,
        writes: cloud.tableWrites,
        ...settings,
      }),
    ),
  );
  return combineReplicators(replicators, cloud.regions);
};

const sum = (statuses: ReplicatorStatus[], field: keyof ReplicationCounters): number =>
  statuses.reduce((n, s) => n + s[field], 0);

/** Several replicators seen as one: settings go to all, status is merged, idle waits for all. */
const combineReplicators = (replicators: Replicator[], regions: readonly string[]): Replicator => ({
  setLag: (lagMs) => replicators.forEach((r) => r.setLag(lagMs)),
  setPartition: (a, b, partitioned) => {
    for (const region of [a, b])
      if (!regions.includes(region))
        throw new RangeError(`Unknown region ${region}; replicating ${regions.join(', ')}`);
    if (a === b) throw new RangeError('A partition needs two different regions');
    // The partitions are shared by every replicator; the first one that replicates both regions records it.
    const owner =
      replicators.find((r) => r.status().regions.includes(a) && r.status().regions.includes(b)) ?? replicators[0];
    owner?.setPartition(a, b, partitioned);
  },
  status: () => {
    const statuses = replicators.map((r) => r.status());
    const partitions = new Map(statuses.flatMap((s) => s.partitions).map((p) => [p.join('|'), p]));
    return {
      lagMs: statuses[0]?.lagMs ?? 0,
      regions: [...regions],
      tableNames: statuses.flatMap((s) => s.tableNames),
      partitions: [...partitions.values()],
      pairs: statuses.flatMap((s) => s.pairs),
      localWrites: sum(statuses, 'localWrites'),
      echoesSuppressed: sum(statuses, 'echoesSuppressed'),
      localWritesLost: sum(statuses, 'localWritesLost'),
      repairs: sum(statuses, 'repairs'),
      appliesRefused: sum(statuses, 'appliesRefused'),
    };
  },
  idle: async (timeoutMs) => {
    await Promise.all(replicators.map((r) => r.idle(timeoutMs)));
  },
  stop: async () => {
    await Promise.all(replicators.map((r) => r.stop()));
  },
});
