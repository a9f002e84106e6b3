import { join } from 'node:path';
import type { RouterHarness } from '../../../local/harness/router-harness';
import { readStageFile } from '../../../stages/lib/stage-file';
import { tableLayout, type TableInstance } from '../../../stages/lib/table-layout';

const ROOT = join(__dirname, '..', '..', '..');
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Counters at one instant: successful writes per table (all regions) and writes the replicator applied to replicas. */
export interface WriteSample {
  at: number;
  writes: ReadonlyMap<string, number>;
  replicated: number;
}

/** Reads the DynamoDB meter (callers' writes, through the proxy) and the replicator's counters. */
export const sampleWrites = (harness: RouterHarness): WriteSample => {
  const writes = new Map<string, number>();
  for (const row of harness.rc.cloud.dynamodb.meter.snapshot()) {
    // A refused conditional put (a duplicate) writes nothing and replicates nothing.
    if (WRITE_OPERATIONS.has(row.operation))
      writes.set(row.table, (writes.get(row.table) ?? 0) + row.requests - row.errors);
  }
  const replicated = harness.rc.router.replicator
    .status()
    .pairs.reduce((n, pair) => n + pair.applied + pair.superseded, 0);
  return { at: Date.now(), writes, replicated };
};

/** Two samples around a quiet period, two around the workload. */
export interface WriteWindows {
  idle: readonly [WriteSample, WriteSample];
  work: readonly [WriteSample, WriteSample];
}

/**
 * What the workload caused between its samples, less the fixed cost measured while idle (the
 * health function's replication probe rows, one per region and zone table every tick).
 */
const workloadDelta = (windows: WriteWindows, read: (sample: WriteSample) => number): number => {
  const [idleFrom, idleTo] = windows.idle;
  const [from, to] = windows.work;
  const idleRate = (read(idleTo) - read(idleFrom)) / Math.max(1, idleTo.at - idleFrom.at);
  return Math.max(0, Math.round(read(to) - read(from) - idleRate * (to.at - from.at)));
};

const round = (n: number): number => Math.round(n * 100) / 100;

const describeTables = (tables: readonly TableInstance[]) =>
  tables.map((t) => ({ table: t.name, replicas: t.regions, scope: t.zone ? `zone ${t.zone}` : t.logical }));

/** The tables of a stage per zone, with the regions each is replicated to, and its stage-wide tables. */
const tablesPerZone = (layout: readonly TableInstance[]) => ({
  zones: Object.fromEntries(
    [...new Set(layout.flatMap((t) => (t.zone ? [t.zone] : [])))].map((zone) => [
      zone,
      describeTables(layout.filter((t) => t.zone === zone)),
    ]),
  ),
  stageTables: describeTables(layout.filter((t) => !t.zone)),
});

/**
 * The cost of zone-scoped storage for a workload, per zone: writes to the zone tables per accepted
 * event, the replicated writes those cause (one per other replica region), and what phase 1 (every
 * table replicated to every stage region) would have replicated for the same writes.
 */
export const residencyFigures = (
  harness: RouterHarness,
  windows: WriteWindows,
  eventsPerZone: Record<string, number>,
) => {
  const { config, stage } = harness.rc.router;
  const layout = tableLayout(stage, config);
  const otherRegions = config.regions.length - 1;
  const writesOf = (table: string): number => workloadDelta(windows, (s) => s.writes.get(table) ?? 0);
  const zones = Object.entries(eventsPerZone).map(([zone, events]) => {
    const tables = layout.filter((t) => t.zone === zone);
    const writes = tables.reduce((n, t) => n + writesOf(t.name), 0);
    const replicated = tables.reduce((n, t) => n + writesOf(t.name) * (t.regions.length - 1), 0);
    return {
      zone,
      tables: describeTables(tables),
      events,
      writes,
      writesPerEvent: round(writes / events),
      replicatedWrites: replicated,
      replicatedWritesPerEvent: round(replicated / events),
      phase1ReplicatedWrites: writes * otherRegions,
      phase1ReplicatedWritesPerEvent: round((writes * otherRegions) / events),
    };
  });
  const control = layout.filter((t) => t.logical === 'control');
  const sum = (pick: (z: (typeof zones)[number]) => number): number => zones.reduce((n, z) => n + pick(z), 0);
  const events = sum((z) => z.events);
  return {
    stage,
    zones,
    total: {
      events,
      writesPerEvent: round(sum((z) => z.writes) / events),
      replicatedWritesPerEvent: round(sum((z) => z.replicatedWrites) / events),
      phase1ReplicatedWritesPerEvent: round(sum((z) => z.phase1ReplicatedWrites) / events),
      // The replicator's own count: the zone tables' replicated writes plus the control table's, if any was written.
      replicatorAppliedWrites: workloadDelta(windows, (s) => s.replicated),
      expectedReplicatorWrites:
        sum((z) => z.replicatedWrites) + control.reduce((n, t) => n + writesOf(t.name) * (t.regions.length - 1), 0),
    },
    localStageTables: tablesPerZone(layout),
    prodStageTables: tablesPerZone(tableLayout('prod', readStageFile(ROOT, 'prod'))),
  };
};
