import type { LocalCloud } from '../local/cloud/local-cloud';
import type { Catalog } from '../shared/domain/catalog';
import { REGIONS } from '../test/e2e/support/router-harness';
import type { WorkloadEvent } from '../test/e2e/support/workload';
import type { BaselineFleet } from './baseline/fleet';
import type { OrderEvent } from './baseline/plan-targets';
import { BASELINE_TABLE } from './baseline/provision';
import { DeliveryCollector } from './delivery-collector';
import type { SideMeasurement } from './figures';
import { note, startProgress } from './progress';

/**
 * In-flight invocations per region. Switchyard's producer hands over 10 events per PutEvents call per
 * region, and the ingress rule invokes ingest for each of them at once: 10 is the same fan-in.
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

/** Drives one region's events through a fixed pool of concurrent invocations; returns how many attempts failed. */
const driveRegion = async (fleet: BaselineFleet, events: readonly WorkloadEvent[], startedAt: Map<string, number>): Promise<number> => {
  let next = 0;
  let failures = 0;
  const deliver = async (e: WorkloadEvent): Promise<void> => {
    const event = toIngressEvent(e);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      try {
        return void (await fleet.invoke(event));
      } catch (error) {
        failures += 1;
        if (failures <= 3) note(`  baseline: invocation failed: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  };
  const worker = async (): Promise<void> => {
    for (let e = events[next++]; e; e = events[next++]) {
      startedAt.set(e.key, Date.now());
      await deliver(e);
    }
  };
  await Promise.all(Array.from({ length: BASELINE_CONCURRENCY_PER_REGION }, worker));
  return failures;
};

/** Runs a workload through the baseline handlers in-process, on the same local cloud, metered by the same proxy. */
export const runBaseline = async (cloud: LocalCloud, fleet: BaselineFleet, catalog: Catalog, workload: readonly WorkloadEvent[], label: string, timeoutMs: number): Promise<SideMeasurement> => {
  const expectedDeliveries = workload.reduce((n, e) => n + e.expected.length, 0);
  const collector = new DeliveryCollector(cloud.eventBridge.inspector, catalog, new Set(workload.map((e) => e.key)), (bus) => bus.startsWith('baseline-'));
  const startedAtMs = new Map<string, number>();
  const callsBefore = fleet.putEventsCalls;
  cloud.dynamodb.meter.reset();
  let failedInvocations = 0;
  const stop = startProgress(label, () => `invoked ${startedAtMs.size}/${workload.length}, delivered ${collector.count}/${expectedDeliveries}`);
  try {
    const failures = await Promise.all(REGIONS.map((region) => driveRegion(fleet, workload.filter((e) => e.region === region), startedAtMs)));
    failedInvocations = failures.reduce((a, b) => a + b, 0);
    if (failedInvocations > 0) note(`  ${label}: ${failedInvocations} invocation attempts failed and were retried`);
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
  };
};
