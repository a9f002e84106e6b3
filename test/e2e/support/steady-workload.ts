import type { RouterHarness } from '../../../local/harness/router-harness';
import {
  buildWorkload,
  inboxId,
  otherAllowedRegion,
  seededRandom,
  toEntry,
  type WorkloadEvent,
} from '../../../local/harness/workload';

/** One event a producer got a success for: the region that took it and when. */
export interface Published {
  event: WorkloadEvent;
  id: string;
  at: number;
  /** True when the event's own region refused it and the producer sent it to another allowed region. */
  failedOver: boolean;
}

/** A publish the event's region refused (the producer then tried the next allowed region, if any). */
export interface Refused {
  key: string;
  region: string;
  at: number;
  error: string;
}

/**
 * The event as it is when published into `region` instead: `local` deliveries (fulfilment, the only
 * target the sample catalog reaches in `local` mode) follow the home; fanout and pinned copies do not.
 */
export const rehome = (event: WorkloadEvent, region: string): WorkloadEvent => ({
  ...event,
  region,
  expected: event.expected.map((to) => (to.startsWith('fulfilment#') ? `fulfilment#${region}` : to)),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A steady mixed workload (orders, payments, EU customers, each in a region its residency allows)
 * published every second until stopped. A producer whose region refuses fails over to the next
 * region the event's residency allows, as a real producer would; only successes are published.
 */
export class SteadyWorkload {
  readonly published: Published[] = [];
  readonly refused: Refused[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private tick = 0;
  private readonly random: () => number;

  constructor(
    private readonly harness: RouterHarness,
    private readonly runId: string,
    private readonly perSecond: number,
    seed = 20260101,
  ) {
    this.random = seededRandom(seed);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops publishing and waits for the calls in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Published events whose publish succeeded at or before `at` (ms). */
  publishedBy(at: number): Published[] {
    return this.published.filter((p) => p.at <= at);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      const batch = buildWorkload(this.perSecond, `${this.runId}t${this.tick}`, this.random);
      this.tick += 1;
      const byRegion = new Map<string, WorkloadEvent[]>();
      for (const event of batch) byRegion.set(event.region, [...(byRegion.get(event.region) ?? []), event]);
      await Promise.all([...byRegion].map(([region, events]) => this.publishAll(region, events, false)));
      await sleep(Math.max(0, started + 1_000 - Date.now()));
    }
  }

  private async publishAll(region: string, events: WorkloadEvent[], failedOver: boolean): Promise<void> {
    try {
      await this.harness.publish(region, events.map(toEntry));
      const at = Date.now();
      for (const event of events) this.published.push({ event, id: inboxId(event), at, failedOver });
    } catch (error) {
      const at = Date.now();
      for (const event of events) this.refused.push({ key: event.key, region, at, error: String(error) });
      if (failedOver) return;
      // The producer's failover: each event to the next region its residency allows (EU events have none).
      const moved = events.flatMap((e) => {
        const other = otherAllowedRegion(e);
        return other ? [rehome(e, other)] : [];
      });
      const byRegion = new Map<string, WorkloadEvent[]>();
      for (const event of moved) byRegion.set(event.region, [...(byRegion.get(event.region) ?? []), event]);
      await Promise.all([...byRegion].map(([other, list]) => this.publishAll(other, list, true)));
    }
  }
}
