import { join } from 'node:path';
import type { RouterHarness } from '../../../local/harness/router-harness';
import { readStageFile } from '../../../stages/lib/stage-file';
import { tableLayout, type TableInstance } from '../../../stages/lib/table-layout';
import { countProbeWrites } from './probe-writes';

const ROOT = join(__dirname, '..', '..', '..');
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Counters at one instant: successful writes and probe writes per table (all regions), and replicated writes applied. */
export interface WriteSample {
  writes: ReadonlyMap<string, number>;
  probes: ReadonlyMap<string, number>;
  replicated: number;
}

const meterWrites = (harness: RouterHarness): Map<string, number> => {
  const writes = new Map<string, number>();
  for (const row of harness.rc.cloud.dynamodb.meter.snapshot()) {
    // A refused conditional put (a duplicate) writes nothing and replicates nothing.
    if (WRITE_OPERATIONS.has(row.operation))
      writes.set(row.table, (writes.get(row.table) ?? 0) + row.requests - row.errors);
  }
  return writes;
};

const sameCounts = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean =>
  a.size === b.size && [...a].every(([table, n]) => b.get(table) === n);

const replicatedSoFar = (harness: RouterHarness): number =>
  harness.rc.router.replicator.status().pairs.reduce((n, pair) => n + pair.applied + pair.superseded, 0);

/**
 * Reads the DynamoDB meter (callers' writes, through the proxy), the probe rows' streams and the
 * replicator's counters, once the replicator has applied what was written before (the deploy's
 * catalog and lease writes replicate for a while on a loaded machine); again when a probe was
 * written while it read, so the meter and the probe count describe the same instant.
 */
export const sampleWrites = async (harness: RouterHarness): Promise<WriteSample> => {
  for (;;) {
    await harness.rc.router.replicator.idle(90_000);
    const probes = await countProbeWrites(harness);
    const writes = meterWrites(harness);
    const replicated = replicatedSoFar(harness);
    if (sameCounts(probes, await countProbeWrites(harness))) return { writes, probes, replicated };
  }
};

const delta = (from: WriteSample, to: WriteSample, read: (sample: WriteSample) => number): number =>
  read(to) - read(from);

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
 * The cost of zone-scoped storage for a workload between two samples, per zone: writes to the zone
 * tables per accepted event (the health function's probe rows left out: a fixed cost per region and
 * tick), the replicated writes those cause (one per other replica region), and what phase 1 (every
 * table replicated to every stage region) would have replicated for the same writes.
 */
export const residencyFigures = (
  harness: RouterHarness,
  [from, to]: readonly [WriteSample, WriteSample],
  eventsPerZone: Record<string, number>,
) => {
  const { config, stage } = harness.rc.router;
  const layout = tableLayout(stage, config);
  const otherRegions = config.regions.length - 1;
  const probesOf = (table: string): number => delta(from, to, (s) => s.probes.get(table) ?? 0);
  const writesOf = (table: string): number => delta(from, to, (s) => s.writes.get(table) ?? 0) - probesOf(table);
  const replicasOf = (tables: readonly TableInstance[], count: (table: string) => number): number =>
    tables.reduce((n, t) => n + count(t.name) * (t.regions.length - 1), 0);
  const zones = Object.entries(eventsPerZone).map(([zone, events]) => {
    const tables = layout.filter((t) => t.zone === zone);
    const writes = tables.reduce((n, t) => n + writesOf(t.name), 0);
    const replicated = replicasOf(tables, writesOf);
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
  const sum = (pick: (z: (typeof zones)[number]) => number): number => zones.reduce((n, z) => n + pick(z), 0);
  const events = sum((z) => z.events);
  const zoneTables = layout.filter((t) => t.zone);
  return {
    stage,
    zones,
    total: {
      events,
      writesPerEvent: round(sum((z) => z.writes) / events),
      replicatedWritesPerEvent: round(sum((z) => z.replicatedWrites) / events),
      phase1ReplicatedWritesPerEvent: round(sum((z) => z.phase1ReplicatedWrites) / events),
      // The replicator's own count, probes left out, against what the writes predict (control table included).
      replicatorAppliedWrites: delta(from, to, (s) => s.replicated) - replicasOf(zoneTables, probesOf),
      expectedReplicatorWrites:
        sum((z) => z.replicatedWrites) +
        replicasOf(
          layout.filter((t) => t.logical === 'control'),
          writesOf,
        ),
      probeWritesLeftOut: zoneTables.reduce((n, t) => n + probesOf(t.name), 0),
    },
    localStageTables: tablesPerZone(layout),
    prodStageTables: tablesPerZone(tableLayout('prod', readStageFile(ROOT, 'prod'))),
  };
};
