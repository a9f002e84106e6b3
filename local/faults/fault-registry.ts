/** The services of the local cloud that accept injected faults. */
export type FaultService = 'dynamodb' | 'events';

/**
 * Faults for one service in one region. Every field is optional; an empty object means healthy.
 * - down: 'refuse' drops the connection before answering; '503' answers ServiceUnavailable.
 * - slowMs: latency added before the request is handled.
 * - throttleRate: share (0..1) of requests rejected with the service's throttling error.
 * - internalFailureRate: share (0..1) of PutEvents entries failed with InternalFailure (events only).
 * - lostResponseRate: share (0..1) of requests that are fully processed and then lose their response:
 *   the connection is destroyed instead of answering, so the caller sees a network error and may retry.
 * - table / operation: narrow the fault to one DynamoDB table or API operation.
 * - bus: narrow an events fault to one event bus (by name), so one bus is down while the region is not.
 * - remaining: the fault clears itself after this many requests it affected.
 */
export interface RegionFaults {
  down?: 'refuse' | '503';
  slowMs?: number;
  throttleRate?: number;
  internalFailureRate?: number;
  lostResponseRate?: number;
  table?: string;
  operation?: string;
  bus?: string;
  remaining?: number;
}

export interface FaultTarget {
  service: FaultService;
  region: string;
  table?: string;
  operation?: string;
  bus?: string;
}

/**
 * Holds the faults injected per service and region; the random source is injectable for tests.
 * Events faults narrowed to a bus are kept one per bus, so several buses of a region can be down at
 * once; any other fault stands alone for its service and region.
 */
export class FaultRegistry {
  private readonly faults = new Map<string, RegionFaults>();

  constructor(private readonly random: () => number = Math.random) {}

  /**
   * Sets the faults of a service in a region: a bus-scoped events fault replaces that bus's fault
   * and any region-wide one; any other replaces every fault of the service there; `{}` heals it.
   */
  set(service: FaultService, region: string, faults: RegionFaults): void {
    validateFaults(faults);
    if (faults.bus !== undefined && service !== 'events')
      throw new RangeError(`bus narrows events faults only, got it for ${service}`);
    if (faults.bus === undefined) this.clear(service, region);
    else this.faults.delete(key(service, region));
    if (Object.keys(faults).length > 0) this.faults.set(key(service, region, faults.bus), { ...faults });
  }

  clear(service?: FaultService, region?: string): void {
    for (const k of [...this.faults.keys()]) {
      const [s, r] = k.split('|');
      if ((service === undefined || s === service) && (region === undefined || r === region)) this.faults.delete(k);
    }
  }

  /** The faults that apply to this request, or undefined when none do. */
  match(target: FaultTarget): RegionFaults | undefined {
    const scoped =
      target.bus === undefined ? undefined : this.faults.get(key(target.service, target.region, target.bus));
    const faults = scoped ?? this.faults.get(key(target.service, target.region));
    if (!faults) return undefined;
    if (faults.table !== undefined && faults.table !== target.table) return undefined;
    if (faults.operation !== undefined && faults.operation !== target.operation) return undefined;
    if (faults.bus !== undefined && faults.bus !== target.bus) return undefined;
    return faults;
  }

  /** Counts one affected request against `remaining` of the fault that hit it (a bus's, else the region's). */
  consume(service: FaultService, region: string, bus?: string): void {
    const scopedKey = bus === undefined ? undefined : key(service, region, bus);
    const k = scopedKey !== undefined && this.faults.has(scopedKey) ? scopedKey : key(service, region);
    const faults = this.faults.get(k);
    if (faults?.remaining === undefined) return;
    faults.remaining -= 1;
    if (faults.remaining <= 0) this.faults.delete(k);
  }

  /** True with probability `rate`. */
  roll(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }

  list(): Array<{ service: FaultService; region: string; faults: RegionFaults }> {
    return [...this.faults.entries()].map(([k, faults]) => {
      const [service, region] = k.split('|') as [FaultService, string];
      return { service, region, faults: { ...faults } };
    });
  }
}

const key = (service: FaultService, region: string, bus?: string): string =>
  bus === undefined ? `${service}|${region}` : `${service}|${region}|${bus}`;

const RATE_FIELDS = ['throttleRate', 'internalFailureRate', 'lostResponseRate'] as const;

/** Event bus names as the EventBridge model allows them. */
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

/** Rejects fault settings that cannot mean anything, with a message naming the field. */
export const validateFaults = (faults: RegionFaults): void => {
  if (faults.down !== undefined && faults.down !== 'refuse' && faults.down !== '503') {
    throw new RangeError(`down must be "refuse" or "503", got ${JSON.stringify(faults.down)}`);
  }
  for (const field of RATE_FIELDS) {
    const rate = faults[field];
    if (rate !== undefined && !(typeof rate === 'number' && rate >= 0 && rate <= 1)) {
      throw new RangeError(`${field} must be a number from 0 to 1, got ${JSON.stringify(rate)}`);
    }
  }
  if (
    faults.slowMs !== undefined &&
    !(Number.isInteger(faults.slowMs) && faults.slowMs >= 0 && faults.slowMs <= 60_000)
  ) {
    throw new RangeError(`slowMs must be an integer from 0 to 60000, got ${JSON.stringify(faults.slowMs)}`);
  }
  if (faults.bus !== undefined && !(typeof faults.bus === 'string' && BUS_NAME.test(faults.bus))) {
    throw new RangeError(`bus must be an event bus name, got ${JSON.stringify(faults.bus)}`);
  }
  if (faults.remaining !== undefined && !(Number.isInteger(faults.remaining) && faults.remaining > 0)) {
    throw new RangeError(`remaining must be a positive integer, got ${JSON.stringify(faults.remaining)}`);
  }
};
