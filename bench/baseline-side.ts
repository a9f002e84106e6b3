import type { LocalCloud } from '../local/cloud/local-cloud';
import type { Catalog } from '../shared/domain/catalog';
import { REGIONS } from '../local/harness/router-harness';
import type { WorkloadEvent } from '../local/harness/workload';
import type { BaselineFleet } from './baseline/fleet';
import type { OrderEvent } from './baseline/plan-targets';
import { BASELINE_TABLE } from './baseline/provision';
import { DeliveryCollector } from './delivery-collector';
import type { SideMeasurement } from './figures';
import { note, startProgress } from './progress';

/**
 * In-flight invocations per region: the fan-in of one 10-entry PutEvents, as a reserved concurrency
 * of 10. The local runtime lets Switchyard's ingest run every pending invocation at once, so under a
 * burst the baseline queues more than Switchyard does; that wait is charged to the baseline's latency.
 */
export const BASELINE_CONCURRENCY_PER_REGION = 10;

/** The event as the ingress rule would hand it to the baseline function in its region. */
const toIngressEvent = (e: WorkloadEvent): OrderEvent => ({
  version: '0',
  id: crypto.randomUUID(),
  'detail-type': e.detailType,
  source: e.source,
  account: '000000000000',
  time: new Date().toISOString(),
  region: e.region,
  resources: [],
  detail: e.detail,
});

/** Attempts per event, as an async rule target retries a failed invocation (the same event, so the same idempotency key). */
const MAX_ATTEMPTS = 3;

/** When each event becomes available to the baseline, in ms after the phase starts. */
export type ArrivalSchedule = ReadonlyMap<string, number>;

/** Invokes one event, retrying a failed invocation after a short pause; returns how many attempts failed. */
const deliver = async (fleet: BaselineFleet, e: WorkloadEvent, samples: string[]): Promise<number> => {
  const event = toIngressEvent(e);
  let failures = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    try {
      await fleet.invoke(event);
      return failures;
    } catch (error) {
      failures += 1;
      const message = error instanceof Error ? error.message : String(error);
      if (samples.length < 3 && !samples.includes(message)) samples.push(message);
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  return failures;
};

/**
 * Drives one region's events through a fixed pool of concurrent invocations. An event is not
 * invoked before its arrival time, and its latency counts from that arrival, so time spent waiting
 * for a free slot is charged to the baseline just as queueing inside the router is charged to Switchyard.
 */
const driveRegion = async (
  fleet: BaselineFleet,
  events: readonly WorkloadEvent[],
  arrivalOf: (key: string) => number,
  startedAt: Map<string, number>,
  samples: string[],
): Promise<number> => {
  const queue = [...events].sort((a, b) => arrivalOf(a.key) - arrivalOf(b.key));
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    for (let e = queue[next++]; e; e = queue[next++]) {
      const arrival = arrivalOf(e.key);
      if (arrival > Date.now()) await new Promise((resolve) => setTimeout(resolve, arrival - Date.now()));
      startedAt.set(e.key, arrival);
      failures += await deliver(fleet, e, samples);
    }
  };
  await Promise.all(Array.from({ length: BASELINE_CONCURRENCY_PER_REGION }, worker));
  return failures;
};

/**
 * Runs a workload through the baseline handlers in-process, on the same local cloud, metered by the
 * same proxy. `schedule` replays Switchyard's publish times, so both sides see the same arrivals.
 */
export const runBaseline = async (
  cloud: LocalCloud,
  fleet: BaselineFleet,
  catalog: Catalog,
  workload: readonly WorkloadEvent[],
  schedule: ArrivalSchedule,
  label: string,
  timeoutMs: number,
): Promise<SideMeasurement> => {
  const expectedDeliveries = workload.reduce((n, e) => n + e.expected.length, 0);
  const collector = new DeliveryCollector(
    cloud.eventBridge.inspector,
    catalog,
    new Set(workload.map((e) => e.key)),
    (bus) => bus.startsWith('baseline-'),
  );
  const startedAtMs = new Map<string, number>();
  const callsBefore = fleet.putEventsCalls;
  cloud.dynamodb.meter.reset();
  let failedInvocations = 0;
  const failureSamples: string[] = [];
  const stop = startProgress(
    label,
    () => `invoked ${startedAtMs.size}/${workload.length}, delivered ${collector.count}/${expectedDeliveries}`,
  );
  try {
    const start = Date.now();
    const arrivalOf = (key: string): number => start + (schedule.get(key) ?? 0);
    const failures = await Promise.all(
      REGIONS.map((region) =>
        driveRegion(
          fleet,
          workload.filter((e) => e.region === region),
          arrivalOf,
          startedAtMs,
          failureSamples,
        ),
      ),
    );
    failedInvocations = failures.reduce((a, b) => a + b, 0);
    if (failedInvocations > 0) note(`  ${label}: ${failedInvocations} invocation attempts failed`);
    await collector.until(expectedDeliveries, timeoutMs);
  } finally {
    stop();
    collector.stop();
  }
  return {
    events: workload.length,
    expectedDeliveries,
    arrivals: collector.arrivals,
    startedAtMs,
    meterRows: cloud.dynamodb.meter.snapshot().filter((r) => r.table === BASELINE_TABLE),
    putEventsCalls: fleet.putEventsCalls - callsBefore,
    replicaWrites: 0,
    failedInvocations,
    failureSamples,
  };
};
