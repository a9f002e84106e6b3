import type { RouterHarness } from '../../../local/harness/router-harness';
import { zonesIn } from '../../../stages/lib/deployment-settings';
import { carries, deadLetterReason } from './dead-letters';

/**
 * What a stalled local run looks like, for the failure message: router counters, region judgements
 * and owners, stream mappings, replication queues, and where the first missing deliveries stand in the ledger.
 */
export const diagnoseLocal = async (
  harness: RouterHarness,
  missing: readonly { id: string; to: string }[],
): Promise<string> => {
  const samples = await Promise.all(
    missing.slice(0, 5).map(async ({ id, to }) => {
      const region = to.split('#')[1] ?? 'us-east-1';
      const zones = zonesIn(harness.rc.router.config, region);
      const rows = (
        await Promise.all(zones.map((zone) => harness.scan(region, harness.tables.zone(zone, 'ledger'))))
      ).flat();
      return {
        id,
        to,
        rows: rows
          .filter((row) => row.id === id)
          .map((row) => ({
            sk: row.sk,
            status: row.status,
            owner: row.owner,
            claimedAt: row.claimedAt,
            region: row.region,
            due: row.due,
            attempts: row.attempts,
            lastError: row.lastError,
          })),
      };
    }),
  );
  const mappings = [...harness.rc.router.mappings].flatMap(([region, list]) =>
    list.map((m) => ({ region, table: m.options.tableName, ...m.stats() })),
  );
  const { pairs } = harness.rc.router.replicator.status();
  // Each region's judgement of the others: a delivery waits with `region-unavailable` when its region
  // is judged failed or fenced, or when the router's breaker for the target there is open.
  const ownership = await harness.rc.ownership().catch((error: unknown) => String(error));
  return JSON.stringify(
    {
      at: new Date().toISOString(),
      missing: missing.length,
      samples,
      // Every metric the functions printed (BreakerOpen among them), not only the status counters.
      metrics: harness.rc.tally.snapshot(),
      ownership,
      mappings,
      replication: pairs.map(
        (p) => `${p.source}>${p.target} pending ${p.pending} applied ${p.applied} lag ${p.replicationLagMs.average}`,
      ),
      queues: harness.rc.cloud.queues.list().length,
    },
    null,
    1,
  );
};

/**
 * Where one event stands, for a failed wait on it: whether each region of its zone holds it in the
 * inbox, and why EventBridge dead-lettered what it gave up on (ingest never stored it then).
 */
export const diagnoseEvent = async (
  harness: RouterHarness,
  event: { key: string; zone: string; inboxId: string },
): Promise<string> => {
  const regions = harness.rc.router.config.residencyZones[event.zone] ?? [];
  const inbox = Object.fromEntries(
    await Promise.all(
      regions.map(async (region) => {
        const item = await harness.get(region, harness.tables.zone(event.zone, 'inbox'), { id: event.inboxId });
        return [region, item ? `stored (home ${String(item.home)})` : 'absent'] as const;
      }),
    ),
  );
  const deadLettered = harness.rc.cloud.queues
    .list()
    .filter((m) => carries(m.body, event.key))
    .map((m) => ({ queue: m.queueName, reason: deadLetterReason(m) }));
  const { pairs } = harness.rc.router.replicator.status();
  return JSON.stringify(
    {
      event: event.key,
      inbox,
      deadLettered,
      replication: pairs.map((p) => `${p.source}>${p.target} pending ${p.pending} applied ${p.applied}`),
      functions: harness.rc.status(),
    },
    null,
    1,
  );
};
