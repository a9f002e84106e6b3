import { encodeKey, type KeyComponent } from '../../shared/domain/ingest/key-encoding';

/**
 * The e2e workload on the sample catalog, and an oracle for it written by hand from
 * routes/sample.yaml (independent of the planner under test).
 */
export interface WorkloadEvent {
  key: string;
  region: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  /** `<bus>#<region>` deliveries the sample catalog plans for it. */
  expected: string[];
}

const ORDERS = 'com.switchyard.orders';
const PAYMENTS = 'com.switchyard.payments';
const EU_CUSTOMERS = 'com.switchyard.eu.customers';

/** Deterministic pseudo-random numbers (mulberry32), so a failing run can be replayed. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)] as T;

/** Builds `count` events across the regions each source's residency allows, with their expected deliveries. */
export const buildWorkload = (count: number, runId: string, random: () => number): WorkloadEvent[] =>
  Array.from({ length: count }, (_, i) => {
    const roll = random();
    if (roll < 0.6) {
      const region = pick(['us-east-1', 'eu-west-1', 'ap-southeast-2'], random);
      const total = random() < 0.2 ? 1000 + Math.floor(random() * 9000) : Math.floor(random() * 999);
      const detailType = pick(['OrderPlaced', 'OrderCancelled', 'OrderPlaced', 'OrderNoted'], random);
      const expected = [
        ...(detailType === 'OrderNoted' ? [] : [`fulfilment#${region}`]),
        ...(total >= 1000 ? ['analytics#us-east-1'] : []),
      ];
      return {
        key: `${runId}-o-${i}`,
        region,
        source: ORDERS,
        detailType,
        detail: { orderId: `${runId}-o-${i}`, total },
        expected,
      };
    }
    if (roll < 0.85) {
      const region = pick(['us-east-1', 'eu-west-1'], random);
      return {
        key: `${runId}-p-${i}`,
        region,
        source: PAYMENTS,
        detailType: 'PaymentCaptured',
        detail: { paymentId: `${runId}-p-${i}`, amount: i },
        expected: ['ledger-sync#us-east-1', 'ledger-sync#eu-west-1'],
      };
    }
    return {
      key: `${runId}-c-${i}`,
      region: 'eu-west-1',
      source: EU_CUSTOMERS,
      detailType: 'CustomerUpdated',
      // Keyed on [customerId, version] in the sample catalog: a customer's next version is a new event.
      detail: { customerId: `${runId}-c-${i}`, version: 1 },
      expected: ['fulfilment#eu-west-1'],
    };
  });

/** The PutEvents entry for a workload event. */
export const toEntry = (event: WorkloadEvent): { Source: string; DetailType: string; Detail: string } => ({
  Source: event.source,
  DetailType: event.detailType,
  Detail: JSON.stringify(event.detail),
});

/** The typed key components the sample catalog reads from a workload event. */
const keyComponents = (event: WorkloadEvent): KeyComponent[] =>
  event.source === EU_CUSTOMERS
    ? [
        { type: 's', value: event.key },
        { type: 'n', value: Number(event.detail.version) },
      ]
    : [{ type: 's', value: event.key }];

/** The inbox id the router derives for a workload event (decision 012's typed encoding). */
export const inboxId = (event: WorkloadEvent): string => encodeKey(event.source, keyComponents(event)).id;

/** The residency zone of a workload event's source in the sample catalog. */
export const zoneOf = (event: Pick<WorkloadEvent, 'source'>): string =>
  event.source === ORDERS ? 'global' : event.source === PAYMENTS ? 'transatlantic' : 'eu';

/** Another region the event's residency allows, for cross-region repeats (undefined when there is none). */
export const otherAllowedRegion = (event: WorkloadEvent): string | undefined => {
  const allowed =
    event.source === ORDERS
      ? ['us-east-1', 'eu-west-1', 'ap-southeast-2']
      : event.source === PAYMENTS
        ? ['us-east-1', 'eu-west-1']
        : ['eu-west-1'];
  return allowed.find((r) => r !== event.region);
};

/** Percentile (nearest rank) of a list of numbers. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
