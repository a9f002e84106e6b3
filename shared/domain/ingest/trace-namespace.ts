/**
 * The `switchyard:` resource namespace is Switchyard's alone: producers' entries are stripped at
 * ingest (and counted), so every trace resource a consumer sees was written by Switchyard. The one
 * entry read before stripping is the hop count an earlier Switchyard delivery wrote, so an event
 * forwarded back into an ingress bus is recognised as a loop.
 */
export const TRACE_PREFIX = 'switchyard:';
const HOP = /^switchyard:hop:(\d{1,4})$/;

export interface TraceRead {
  /** Switchyard deliveries the event went through before this ingress (0 for a producer's own event). */
  hops: number;
  /** The producer's resources without any `switchyard:` entry. */
  resources: string[];
  /** How many `switchyard:` entries were removed. */
  stripped: number;
}

/** Reads the hop count and strips the `switchyard:` namespace from an event's resources. */
export const readTrace = (resources: readonly string[]): TraceRead => {
  const hops = resources.reduce((max, r) => Math.max(max, Number(HOP.exec(r)?.[1] ?? 0)), 0);
  const kept = resources.filter((r) => !r.startsWith(TRACE_PREFIX));
  return { hops, resources: kept, stripped: resources.length - kept.length };
};
