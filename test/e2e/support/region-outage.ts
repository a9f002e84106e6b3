import { REGIONS, type RouterHarness } from '../../../local/harness/router-harness';
import { LEDGER_ROW } from '../../../shared/table-definitions';

const others = (region: string): string[] => REGIONS.filter((r) => r !== region);

/**
 * Takes a region dark at one instant: cut off from its peers (replication held, calls across
 * refused), its DynamoDB refusing connections, its EventBridge answering 503, its functions
 * stopped (running invocations end with them).
 */
export const takeRegionDark = (harness: RouterHarness, region: string): void => {
  const { cloud } = harness.rc;
  for (const other of others(region)) cloud.partitions.set(region, other);
  cloud.faults.set('dynamodb', region, { down: 'refuse' });
  cloud.faults.set('events', region, { down: '503' });
  cloud.runtime.regionStates.setFunctions(region, 'stopped');
};

/** Brings a dark region back: services first, then the partitions, then its functions (their schedules fire at once). */
export const bringRegionBack = (harness: RouterHarness, region: string): void => {
  const { cloud } = harness.rc;
  cloud.faults.clear('dynamodb', region);
  cloud.faults.clear('events', region);
  for (const other of others(region)) cloud.partitions.clear(region, other);
  cloud.runtime.regionStates.setFunctions(region, 'running');
};

/** Cuts a region off from every peer while it keeps running: its own services and functions stay up. */
export const partitionRegion = (harness: RouterHarness, region: string): void => {
  for (const other of others(region)) harness.rc.cloud.partitions.set(region, other);
};

/** Heals every partition of a region; held replication is delivered in order. */
export const healRegion = (harness: RouterHarness, region: string): void => {
  for (const other of others(region)) harness.rc.cloud.partitions.clear(region, other);
};

/** What the successor's replica held of a dead home's events when it died. */
export interface ReplicaAtOutage {
  /** Events the home accepted that the successor cannot act on: its inbox item or its event row (the sweeper's work item) did not replicate. */
  unreplicated: Map<string, 'inbox item' | 'event row' | 'inbox item and event row'>;
  /** For events replicated and still open, how long after the outage the dead owner had scheduled their next look (ms). */
  openDueInMs: number[];
}

/**
 * Compares `home`'s inbox and ledger of each zone with `successor`'s replica (read from the
 * engine, so valid while `home` is dark or partitioned): the events stuck unreplicated (the RPO).
 */
export const replicaAtOutage = async (
  harness: RouterHarness,
  home: string,
  successor: string,
  zones: readonly string[],
  outageAt: number,
): Promise<ReplicaAtOutage> => {
  const result: ReplicaAtOutage = { unreplicated: new Map(), openDueInMs: [] };
  const eventRow = LEDGER_ROW.event(home);
  for (const zone of zones) {
    const [accepted, inbox, ledger] = await Promise.all([
      harness.scan(home, harness.tables.zone(zone, 'inbox')),
      harness.scan(successor, harness.tables.zone(zone, 'inbox')),
      harness.scan(successor, harness.tables.zone(zone, 'ledger')),
    ]);
    const items = new Set(inbox.map((i) => String(i.id)));
    const rows = new Map(ledger.filter((r) => r.sk === eventRow).map((r) => [String(r.id), r]));
    for (const id of accepted.filter((i) => i.home === home).map((i) => String(i.id))) {
      const row = rows.get(id);
      if (!items.has(id) || !row)
        result.unreplicated.set(
          id,
          !items.has(id) && !row ? 'inbox item and event row' : !items.has(id) ? 'inbox item' : 'event row',
        );
      else if (row.sweepShard !== undefined) result.openDueInMs.push(Date.parse(String(row.due)) - outageAt);
    }
  }
  return result;
};

/** The ids of every event stored in any inbox of `region` (each zone table it holds). */
export const storedIds = async (
  harness: RouterHarness,
  region: string,
  zones: readonly string[],
): Promise<Set<string>> => {
  const tables = await Promise.all(zones.map((zone) => harness.scan(region, harness.tables.zone(zone, 'inbox'))));
  return new Set(tables.flat().map((i) => String(i.id)));
};

/**
 * Waits until nothing more from a cut-off `region` lands in its peers: a write the replicator had
 * already started when the partition came still completes, so "what did not replicate" is read after.
 */
export const waitForReplicationFrozen = async (
  harness: RouterHarness,
  region: string,
  timeoutMs = 15_000,
): Promise<void> => {
  const landed = (): number =>
    harness.rc.router.replicator
      .status()
      .pairs.filter((p) => p.source === region)
      .reduce((n, p) => n + p.applied + p.superseded, 0);
  const deadline = Date.now() + timeoutMs;
  let last = landed();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = landed();
    if (now === last) return;
    if (Date.now() > deadline) throw new Error(`replication from ${region} still landing after ${timeoutMs} ms`);
    last = now;
  }
};
