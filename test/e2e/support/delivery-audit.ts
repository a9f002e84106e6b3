import { keyOf, type RouterHarness } from '../../../local/harness/router-harness';
import { zoneOf, type WorkloadEvent } from '../../../local/harness/workload';
import type { RecordedEvent } from '../../../local/eventbridge/inspector';
import { zonesIn } from '../../../stages/lib/deployment-settings';

type Item = Record<string, unknown>;

/** The sample catalog's zones; `local` deliveries may fail over only inside the event's zone. */
const ZONES: Record<string, readonly string[]> = {
  global: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  transatlantic: ['us-east-1', 'eu-west-1'],
  eu: ['eu-west-1'],
};

/** A copy of an event that reached a target bus. */
export interface Copy {
  to: string;
  at: number;
  attempt: number;
  /** `<owner>:<epoch>` from the `switchyard:epoch:` resource. */
  epoch: string;
}

/** Where one event's planned deliveries stand, judged from what reached the buses. */
export interface EventAudit {
  event: WorkloadEvent;
  id: string;
  /** When the producer's publish succeeded (epoch ms). */
  publishedAt: number;
  copies: Copy[];
  /** Planned deliveries with no copy yet. */
  missing: string[];
  /** Copies to a (target, region) that was never planned for the event. */
  unexpected: string[];
  /** When each planned delivery was first satisfied (Infinity while it is missing). */
  firsts: Array<{ planned: string; at: number }>;
  /** When the last planned delivery was first satisfied (undefined while one is missing). */
  completedAt?: number;
}

const resource = (event: RecordedEvent, prefix: string): string | undefined =>
  event.envelope.resources.find((r) => r.startsWith(prefix))?.slice(prefix.length);

/** Every copy on a target bus, by inbox id. */
export const copiesById = (harness: RouterHarness): Map<string, Copy[]> => {
  const byId = new Map<string, Copy[]>();
  for (const recorded of harness.delivered()) {
    const id = keyOf(recorded);
    if (id === undefined) continue;
    const copy: Copy = {
      to: `${recorded.bus}#${recorded.region}`,
      at: Date.parse(recorded.receivedAt),
      attempt: Number(resource(recorded, 'switchyard:attempt:') ?? 0),
      epoch: resource(recorded, 'switchyard:epoch:') ?? '?',
    };
    byId.set(id, [...(byId.get(id) ?? []), copy]);
  }
  return byId;
};

/**
 * Judges one event's copies against its planned deliveries. `fulfilment` is reached only in
 * `local` mode in the sample catalog: any region of the event's zone satisfies it (failover);
 * every other planned delivery is a fixed (target, region).
 */
export const auditEvent = (
  { event, id, at }: { event: WorkloadEvent; id: string; at: number },
  copies: readonly Copy[],
): EventAudit => {
  const zone = ZONES[zoneOf(event)] ?? [];
  const satisfies = (planned: string, copy: Copy): boolean =>
    planned.startsWith('fulfilment#')
      ? copy.to.startsWith('fulfilment#') && zone.includes(copy.to.split('#')[1] ?? '')
      : copy.to === planned;
  const firsts = event.expected.map((planned) => ({
    planned,
    at: Math.min(...copies.filter((c) => satisfies(planned, c)).map((c) => c.at)),
  }));
  const missing = firsts.filter((f) => !Number.isFinite(f.at)).map((f) => f.planned);
  const unexpected = copies.filter((c) => !event.expected.some((p) => satisfies(p, c))).map((c) => c.to);
  return {
    event,
    id,
    publishedAt: at,
    copies: [...copies],
    missing,
    unexpected,
    firsts,
    ...(missing.length === 0 ? { completedAt: Math.max(0, ...firsts.map((f) => f.at)) } : {}),
  };
};

/** Audits every event against the copies on the buses now. */
export const auditAll = (
  harness: RouterHarness,
  events: ReadonlyArray<{ event: WorkloadEvent; id: string; at: number }>,
): EventAudit[] => {
  const copies = copiesById(harness);
  return events.map((published) => auditEvent(published, copies.get(published.id) ?? []));
};

/** The ledger's `to` of a copy: fulfilment is a `local` delivery in the sample catalog, every other target a placed copy. */
const ledgerTo = (copy: Copy): string => (copy.to.startsWith('fulfilment#') ? 'fulfilment#local' : copy.to);

/** Copies beyond the first of each (event, delivery): what a consumer saw twice. */
export const repeatCopies = (audits: readonly EventAudit[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const audit of audits)
    for (const copy of audit.copies) {
      const key = `${audit.id}|${ledgerTo(copy)}`;
      counts.set(key, (counts.get(key) ?? -1) + 1);
    }
  return new Map([...counts].filter(([, extra]) => extra > 0));
};

/** Every delivery row of these ids, read in `region` from each zone ledger held there. */
export const deliveryRows = async (harness: RouterHarness, region: string, ids: ReadonlySet<string>): Promise<Item[]> =>
  (await ledgerRows(harness, region, ids)).filter((row) => row.kind === 'delivery');

/** Every ledger row (event rows and delivery rows) of the given events in one region's zone tables. */
export const ledgerRows = async (harness: RouterHarness, region: string, ids: ReadonlySet<string>): Promise<Item[]> => {
  const zones = zonesIn(harness.rc.router.config, region);
  const tables = await Promise.all(zones.map((zone) => harness.scan(region, harness.tables.zone(zone, 'ledger'))));
  return tables.flat().filter((row) => ids.has(String(row.id)));
};

/**
 * The repeats the ledger records per (event, delivery): rows by more than one owner (each may have
 * sent; a row a dead owner left claimed counts too) plus every counted redelivery (a send after one
 * whose outcome was unknown, which may or may not have arrived twice).
 */
export const ledgerRepeats = (rows: readonly Item[]): Map<string, number> => {
  const owners = new Map<string, Set<string>>();
  const redeliveries = new Map<string, number>();
  for (const row of rows) {
    if (row.status === 'parked') continue;
    const key = `${String(row.id)}|${String(row.to)}`;
    owners.set(key, new Set([...(owners.get(key) ?? []), String(row.owner)]));
    redeliveries.set(key, (redeliveries.get(key) ?? 0) + Number(row.redeliveries ?? 0));
  }
  return new Map([...owners].map(([key, set]) => [key, set.size - 1 + (redeliveries.get(key) ?? 0)]));
};

/** Repeats a consumer saw that the ledger does not account for (each should be empty). */
export const unrecordedRepeats = (
  seen: ReadonlyMap<string, number>,
  recorded: ReadonlyMap<string, number>,
): Array<{ delivery: string; copies: number; recorded: number }> =>
  [...seen]
    .filter(([key, extra]) => extra > (recorded.get(key) ?? 0))
    .map(([delivery, extra]) => ({ delivery, copies: extra + 1, recorded: recorded.get(delivery) ?? 0 }));

/** The sum of a per-delivery count. */
export const total = (counts: ReadonlyMap<string, number>): number => [...counts.values()].reduce((n, v) => n + v, 0);

/**
 * Delivered rows that counted a redelivery whose owner's copy still says attempt 1: a consumer
 * would not know it may be a repeat (there should be none).
 */
export const unmarkedRedeliveries = (rows: readonly Item[], audits: readonly EventAudit[]): string[] => {
  const byId = new Map(audits.map((a) => [a.id, a]));
  return rows
    .filter((r) => r.status === 'delivered' && Number(r.redeliveries ?? 0) > 0)
    .filter((r) => {
      const copies = (byId.get(String(r.id))?.copies ?? []).filter(
        (c) => ledgerTo(c) === r.to && c.epoch.startsWith(`${String(r.owner)}:`),
      );
      return !copies.some((c) => c.attempt > 1);
    })
    .map((r) => `${String(r.id)} ${String(r.sk)}`);
};
