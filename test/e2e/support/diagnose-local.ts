import type { RouterHarness } from '../../../local/harness/router-harness';
import { keyOf } from '../../../local/harness/router-harness';
import { zonesIn } from '../../../stages/lib/deployment-settings';

/**
 * What a stalled local run looks like, for the failure message: router counters, stream mappings,
 * replication queues, and where the first missing deliveries stand in the ledger.
 */
export const diagnoseLocal = async (
  harness: RouterHarness,
  expected: ReadonlyMap<string, readonly string[]>,
): Promise<string> => {
  const delivered = new Set(harness.delivered().map((e) => `${keyOf(e) ?? '?'}|${e.bus}#${e.region}`));
  const missing = [...expected].flatMap(([id, tos]) =>
    tos.filter((to) => !delivered.has(`${id}|${to}`)).map((to) => ({ id, to })),
  );
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
  return JSON.stringify(
    {
      missing: missing.length,
      samples,
      status: harness.rc.status(),
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
