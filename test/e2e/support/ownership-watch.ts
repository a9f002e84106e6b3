import { REGIONS, type RouterHarness } from '../../../local/harness/router-harness';

/** One valid ownership a region's health function committed into its own coord table. */
export interface Owned {
  zone: string;
  home: string;
  epoch: number;
  since: number;
  /** The lease's expiry minus the skew margin: no claim under this epoch after it. */
  validUntil: number;
}

/** What one region's coord table says now: what it owns (validly) and how it judges every region. */
export interface CoordView {
  owns: Owned[];
  states: Record<string, { state: string; since: number; history: boolean[] }>;
}

/** Reads one region's coord table straight from the engine (faults and partitions do not apply to the test). */
export const readCoord = async (harness: RouterHarness, region: string): Promise<CoordView> => {
  const items = await harness.scan(region, harness.tables.coord);
  const now = Date.now();
  const owns = items
    .filter((i) => i.pk === 'owns' && Number(i.validUntil) > now)
    .map((i) => ({
      zone: String(i.zone),
      home: String(i.home),
      epoch: Number(i.epoch),
      since: Date.parse(String(i.since)),
      validUntil: Number(i.validUntil),
    }));
  const judgements = (items.find((i) => i.pk === 'judgement' && i.sk === 'all')?.judgements ?? {}) as Record<
    string,
    { state: string; since: number; history?: boolean[] }
  >;
  const states = Object.fromEntries(
    Object.entries(judgements).map(([r, j]) => [
      r,
      { state: j.state, since: Number(j.since), history: j.history ?? [] },
    ]),
  );
  return { owns, states };
};

/** Who owns each (zone, home) now, by reading every region's own view. */
export const ownersNow = async (harness: RouterHarness): Promise<Map<string, { region: string; epoch: number }>> => {
  const views = await Promise.all(REGIONS.map(async (r) => [r as string, await readCoord(harness, r)] as const));
  const owners = new Map<string, { region: string; epoch: number }>();
  for (const [region, view] of views)
    for (const o of view.owns) owners.set(`${o.zone}#${o.home}`, { region, epoch: o.epoch });
  return owners;
};

/** What an outage watch saw first, in epoch ms. */
export interface OutageObservations {
  /** When a majority of regions judged the dead region failed (the later `since` of the first two). */
  verdictFailedAt?: number;
  /** Each observer's judgement of the dead region when the verdict turned failed: since, and its last ticks (true = ok). */
  verdictEvidence?: Record<string, { since: number; history: boolean[] }>;
  /** When the successor acquired the dead home of each zone, and at which epoch. */
  takeovers: Map<string, { at: number; epoch: number }>;
  /** The last validity the dead region held on its own home in each zone (from its coord table, which stays readable). */
  deadValidUntil: Map<string, { epoch: number; validUntil: number }>;
}

/**
 * Polls the healthy regions' coord tables while `dead` is down and records when the quorum verdict
 * turned failed and when `successor` took over each of the dead home's zones (the times the
 * health functions wrote, not when the poll saw them).
 */
export class OutageWatch {
  readonly seen: OutageObservations = { takeovers: new Map(), deadValidUntil: new Map() };
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly harness: RouterHarness,
    private readonly dead: string,
    private readonly successor: string,
  ) {
    this.loop = this.run();
  }

  async stop(): Promise<OutageObservations> {
    this.running = false;
    await this.loop;
    return this.seen;
  }

  private async run(): Promise<void> {
    const observers: string[] = REGIONS.filter((r) => r !== this.dead);
    while (this.running) {
      const views = await Promise.all(observers.map((r) => readCoord(this.harness, r))).catch(() => []);
      const failed = views.map((v) => v.states[this.dead]).filter((s) => s?.state === 'failed');
      if (this.seen.verdictFailedAt === undefined && failed.length >= 2) {
        this.seen.verdictFailedAt = Math.max(...failed.map((s) => s?.since ?? 0));
        this.seen.verdictEvidence = Object.fromEntries(
          observers.map((o, i) => [
            o,
            { since: views[i]?.states[this.dead]?.since ?? NaN, history: views[i]?.states[this.dead]?.history ?? [] },
          ]),
        );
      }
      const successorView = views[observers.indexOf(this.successor)];
      for (const o of successorView?.owns ?? [])
        if (o.home === this.dead && !this.seen.takeovers.has(o.zone))
          this.seen.takeovers.set(o.zone, { at: o.since, epoch: o.epoch });
      await this.noteDeadValidity();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** A partitioned owner drops its `owns` item when a renew fails; until then its validity may still grow. */
  private async noteDeadValidity(): Promise<void> {
    const view = await readCoord(this.harness, this.dead).catch(() => undefined);
    for (const o of view?.owns ?? []) {
      const known = this.seen.deadValidUntil.get(o.zone);
      if (o.home === this.dead && (!known || o.validUntil > known.validUntil))
        this.seen.deadValidUntil.set(o.zone, { epoch: o.epoch, validUntil: o.validUntil });
    }
  }
}

/**
 * Waits until `home` owns itself again in each of `zones` (the successor handed back) and returns
 * when the last of those leases was acquired.
 */
export const waitForHandback = async (
  harness: RouterHarness,
  home: string,
  zones: readonly string[],
  timeoutMs: number,
): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const own = (await readCoord(harness, home)).owns.filter((o) => o.home === home && zones.includes(o.zone));
    if (own.length === zones.length) return Math.max(...own.map((o) => o.since));
    if (Date.now() > deadline) throw new Error(`${home} did not own ${zones.join(', ')} again within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};
