import type { MeterRow } from '../local/dynamodb/dynamo-meter';
import { percentile } from '../local/harness/workload';
import type { Arrival } from './delivery-collector';

/** The DynamoDB operations that write (what DESIGN.md's "DynamoDB writes" counts). */
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** What one side of the bench observed during its measured phase. */
export interface SideMeasurement {
  events: number;
  expectedDeliveries: number;
  arrivals: readonly Arrival[];
  /** When each workload key was handed to the side (publish for Switchyard, invoke for the baseline). */
  startedAtMs: ReadonlyMap<string, number>;
  meterRows: readonly MeterRow[];
  putEventsCalls: number;
  /** Writes the global-table replicator applied in other regions (not seen by the metering proxy). */
  replicaWrites: number;
  /** Invocations that failed and were retried: a cause of tail latency worth seeing next to it. */
  failedInvocations: number;
  /** A few distinct failure messages from this phase, to tell a router fault from a local-cloud one. */
  failureSamples: readonly string[];
  /** Switchyard only: hand-off → stored in the inbox, per event, to split the latency into ingest and route. */
  ingestLatenciesMs?: readonly number[];
}

/** The per-side figures the report prints and saves. */
export interface SideFigures {
  events: number;
  deliveries: number;
  expectedDeliveries: number;
  duplicateDeliveries: number;
  dynamodbWritesPerDelivery: number;
  wcuPerDelivery: number;
  replicaWritesPerDelivery: number;
  putEventsCallsPerDelivery: number;
  entriesPerPutEventsCall: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  throughputPerSecond: number;
  failedInvocations: number;
  failureSamples: readonly string[];
  /** Publish → stored in the inbox (Switchyard's first hop); null for the baseline, which has no such stage. */
  ingestLatencyP50Ms: number | null;
  ingestLatencyP99Ms: number | null;
  /** Write requests per table and operation, so a per-delivery figure can be traced to its parts. */
  writesByTable: Record<string, number>;
}

const round = (n: number, digits = 3): number => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

/** Each event's publish time relative to the first, for the other side to replay the same arrivals. */
export const arrivalScheduleOf = (m: Pick<SideMeasurement, 'startedAtMs'>): Map<string, number> => {
  const first = Math.min(...m.startedAtMs.values());
  return new Map([...m.startedAtMs].map(([key, at]) => [key, at - first]));
};

/** Turns one side's raw observations into per-delivery figures. */
export const computeFigures = (m: SideMeasurement): SideFigures => {
  const deliveries = m.arrivals.length;
  const writes = m.meterRows.filter((r) => WRITE_OPERATIONS.has(r.operation)).reduce((n, r) => n + r.requests, 0);
  const wcu = m.meterRows.reduce((n, r) => n + r.writeCapacityUnits, 0);
  const latencies = m.arrivals.map((a) => a.receivedAtMs - (m.startedAtMs.get(a.key) ?? a.receivedAtMs));
  const first = Math.min(...m.startedAtMs.values());
  const last = Math.max(...m.arrivals.map((a) => a.receivedAtMs));
  const per = (n: number): number => round(n / Math.max(deliveries, 1));
  return {
    events: m.events,
    deliveries,
    expectedDeliveries: m.expectedDeliveries,
    duplicateDeliveries: deliveries - new Set(m.arrivals.map((a) => `${a.key}|${a.to}`)).size,
    dynamodbWritesPerDelivery: per(writes),
    wcuPerDelivery: per(wcu),
    replicaWritesPerDelivery: per(m.replicaWrites),
    putEventsCallsPerDelivery: per(m.putEventsCalls),
    entriesPerPutEventsCall: round(deliveries / Math.max(m.putEventsCalls, 1)),
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    // From the first hand-off to the last arrival: the whole pipeline, producer included.
    throughputPerSecond: round(deliveries / Math.max((last - first) / 1000, 0.001), 1),
    failedInvocations: m.failedInvocations,
    failureSamples: m.failureSamples,
    ingestLatencyP50Ms: m.ingestLatenciesMs ? percentile(m.ingestLatenciesMs, 50) : null,
    ingestLatencyP99Ms: m.ingestLatenciesMs ? percentile(m.ingestLatenciesMs, 99) : null,
    writesByTable: Object.fromEntries(
      m.meterRows
        .filter((r) => WRITE_OPERATIONS.has(r.operation))
        .map((r) => [`${r.region} ${r.table} ${r.operation}`, r.requests]),
    ),
  };
};
