import { REGIONS, type RouterHarness } from '../../../local/harness/router-harness';
import { zonesIn } from '../../../stages/lib/deployment-settings';
import { waitFor } from '../../../local/harness/wait-for';
import { carries, deadLetterReason } from './dead-letters';
import { auditAll, ledgerRows, type EventAudit } from './delivery-audit';
import { functionDiagnostics } from './function-diagnostics';
import { storedIds } from './region-outage';
import type { Published } from './steady-workload';

/** What became of everything the producers published: stored (and audited) or dead-lettered before ingest. */
export interface Completion {
  accepted: Published[];
  audits: EventAudit[];
  /** Published, never stored: still in the region's ingest DLQ (EventBridge gave up on ingest). */
  deadLettered: Published[];
  /** Why EventBridge gave up, as the DLQ message says (ERROR_CODE: ERROR_MESSAGE), each with how many. */
  deadLetterReasons: Record<string, number>;
  /** Published, never stored, and not dead-lettered either: lost before the router. */
  unaccounted: Published[];
}

/**
 * Waits until replication is idle and every stored event of `published` (in any region's inbox)
 * has every planned delivery. Polls once a second: the drills run beside other suites on two cores.
 */
export const waitForCompletion = async (
  harness: RouterHarness,
  published: readonly Published[],
  timeoutMs: number,
): Promise<Completion> => {
  await harness.rc.router.replicator.idle(60_000);
  const stored = new Set(
    (
      await Promise.all(
        REGIONS.map(async (region) => [
          ...(await storedIds(harness, region, zonesIn(harness.rc.router.config, region))),
        ]),
      )
    ).flat(),
  );
  const accepted = published.filter((p) => stored.has(p.id));
  const dlq = harness.rc.cloud.queues.list({ queueName: `switchyard-${harness.stage}-ingest-dlq` });
  const deadLettered = published.filter((p) => !stored.has(p.id) && dlq.some((m) => carries(m.body, p.event.key)));
  const unaccounted = published.filter((p) => !stored.has(p.id) && !deadLettered.includes(p));
  const deadLetterReasons: Record<string, number> = {};
  for (const m of dlq) {
    const reason = deadLetterReason(m);
    deadLetterReasons[reason] = (deadLetterReasons[reason] ?? 0) + 1;
  }
  try {
    const audits = await waitFor(
      `every planned delivery of ${accepted.length} accepted events`,
      () => {
        const audits = auditAll(harness, accepted);
        return audits.every((a) => a.missing.length === 0) && audits;
      },
      timeoutMs,
      1_000,
    );
    return { accepted, audits, deadLettered, deadLetterReasons, unaccounted };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${await whatIsMissing(harness, accepted)}`);
  }
};

/**
 * The first missing deliveries with, per region, whether its inbox holds the event and every ledger
 * row of it (the event row: the sweeper's work item, with its due time; the delivery rows), and the
 * functions' counters: enough to tell an event no owner looked at from one whose rows are stuck.
 */
const whatIsMissing = async (harness: RouterHarness, accepted: readonly Published[]): Promise<string> => {
  const missing = auditAll(harness, accepted).filter((a) => a.missing.length > 0);
  const ids = new Set(missing.slice(0, 5).map((a) => a.id));
  const perRegion = await Promise.all(
    REGIONS.map(async (region) => ({
      region,
      stored: await storedIds(harness, region, zonesIn(harness.rc.router.config, region)).catch(
        () => new Set<string>(),
      ),
      rows: await ledgerRows(harness, region, ids).catch(() => []),
    })),
  );
  const samples = missing.slice(0, 5).map((a) => ({
    key: a.event.key,
    publishedAt: new Date(a.publishedAt).toISOString(),
    missing: a.missing,
    copies: a.copies.map((c) => `${c.to} ${c.epoch} #${c.attempt}`),
    regions: Object.fromEntries(
      perRegion.map(({ region, stored, rows }) => [
        region,
        {
          inbox: stored.has(a.id),
          rows: rows.filter((r) => r.id === a.id).map(describeRow),
        },
      ]),
    ),
  }));
  return JSON.stringify(
    { missing: missing.length, samples, functions: JSON.parse(functionDiagnostics(harness, REGIONS)) },
    null,
    1,
  );
};

const describeRow = (r: Record<string, unknown>): string =>
  r.kind === 'event'
    ? `event ${String(r.sk)} home ${String(r.home)} due ${String(r.due ?? '-')} settled ${String(r.settledAt ?? '-')}`
    : `${String(r.sk)} ${String(r.status)} owner ${String(r.owner)} epoch ${String(r.epoch)} due ${String(r.due)} #${String(r.attempts)} ${String(r.lastError ?? '')}`;
