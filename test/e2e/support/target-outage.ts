import { percentile } from '../../../local/harness/workload';
import type { Copy, EventAudit } from './delivery-audit';

/** One planned delivery of an audited event, with the copy that first satisfied it. */
export interface PlannedCopy {
  audit: EventAudit;
  planned: string;
  copy?: Copy;
}

/**
 * Sorts the planned deliveries of events published during a target outage: `local` deliveries
 * whose first choice is a down bus (they should fail over), fanout or pinned copies for a down bus
 * (they should wait for it), and every other delivery (the outage should not touch them).
 * In the sample catalog fulfilment is reached only in `local` mode.
 */
export const affectedBy = (
  audits: readonly EventAudit[],
  region: string,
  buses: readonly string[],
): { failover: PlannedCopy[]; waiting: PlannedCopy[]; unaffected: PlannedCopy[] } => {
  const failover: PlannedCopy[] = [];
  const waiting: PlannedCopy[] = [];
  const unaffected: PlannedCopy[] = [];
  for (const audit of audits) {
    for (const planned of audit.event.expected) {
      const [target = '', placement = ''] = planned.split('#');
      const local = target === 'fulfilment';
      const first = [...audit.copies]
        .filter((c) => (local ? c.to.startsWith(`${target}#`) : c.to === planned))
        .sort((a, b) => a.at - b.at)[0];
      const entry: PlannedCopy = { audit, planned, ...(first ? { copy: first } : {}) };
      const down = placement === region && buses.includes(target);
      if (down && local) failover.push(entry);
      else if (down) waiting.push(entry);
      else unaffected.push(entry);
    }
  }
  return { failover, waiting, unaffected };
};

/** Publish-to-bus latency of planned deliveries (a missing copy counts as infinitely late). */
export const latencies = (
  deliveries: readonly PlannedCopy[],
): { count: number; p50Ms: number; p99Ms: number; maxMs: number; slowest: string[] } => {
  const latency = (d: PlannedCopy): number => (d.copy ? d.copy.at - d.audit.publishedAt : Infinity);
  const values = deliveries.map(latency);
  // The slowest few, to read a tail: key, planned delivery, copy (bus#region owner:epoch attempt), latency.
  const slowest = [...deliveries]
    .sort((a, b) => latency(b) - latency(a))
    .slice(0, 3)
    .map(
      (d) =>
        `${d.audit.event.key} ${d.planned} ${d.copy?.to ?? '-'} ${d.copy?.epoch ?? '-'} #${d.copy?.attempt ?? 0} ${latency(d)} ms`,
    );
  return {
    count: values.length,
    p50Ms: percentile(values, 50),
    p99Ms: percentile(values, 99),
    maxMs: values.length > 0 ? Math.max(...values) : 0,
    slowest,
  };
};
