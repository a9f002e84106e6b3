/**
 * The replay figure (`npm run bench -- --replay [--deliveries N] [--budget N]`): N stored events of
 * one residency zone are replayed in force mode at a PutEvents budget; the pace each copy reached
 * its bus at is compared with the budget, and every copy is checked to have been sent once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { keyOf, RouterHarness } from '../local/harness/router-harness';
import { batchSizeFor, measuredPace } from '../shared/domain/jobs/pacing';
import type { AdminResponse } from '../shared/services/admin/run-admin';
import { note, startProgress } from './progress';
import { REGION, seed, SOURCE, ZONE } from './replay-seed';

const RESULTS_PATH = join(__dirname, '..', '.local', 'bench-replay.json');
const USAGE = 'usage: npm run bench -- --replay [--deliveries N] [--budget N] [--meter] [--json]';

/** What the replay bench measures, from the command line. */
export interface ReplayFlags {
  deliveries: number;
  budget: number;
  json: boolean;
  /** Prints the busiest DynamoDB (region, table, operation) rows with each progress line. */
  meter: boolean;
}

/** Parses `--replay --deliveries N --budget N --json`. */
export const parseReplayFlags = (argv: readonly string[]): ReplayFlags => {
  const flags: ReplayFlags = { deliveries: 10_000, budget: 25, json: false, meter: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = (): number => {
      const n = Number(argv[(i += 1)]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} needs a positive integer\n${USAGE}`);
      return n;
    };
    if (arg === '--replay') continue;
    if (arg === '--json') flags.json = true;
    else if (arg === '--meter') flags.meter = true;
    else if (arg === '--deliveries') flags.deliveries = value();
    else if (arg === '--budget') flags.budget = value();
    else throw new Error(`unknown argument ${String(arg)}\n${USAGE}`);
  }
  return flags;
};

const admin = async <T>(harness: RouterHarness, request: Record<string, unknown>): Promise<T> => {
  const response = (await harness.rc.cloud.runtime.invoke(REGION, 'admin', {
    actor: 'bench',
    ...request,
  })) as AdminResponse;
  if (!response.ok) throw new Error(`${String(request.action)} refused: ${JSON.stringify(response.error)}`);
  return response.result as T;
};

/**
 * Reconciles the seeded window in the zone's region after the replay, timed from start to
 * completion: every event read, its plan recomputed and classified against the ledger rows.
 */
const timeReconcile = async (harness: RouterHarness, from: string, flags: ReplayFlags) => {
  note(`reconciling ${REGION} over the same window`);
  const startedAt = Date.now();
  const started = await admin<{ reportId: string }>(harness, {
    action: 'reconcile.start',
    region: REGION,
    from,
    to: new Date().toISOString(),
    budgetPerSecond: flags.budget,
  });
  const status = await harness.waitFor(
    'the reconcile to complete',
    async () => {
      const s = await admin<{ state: string; classes: { byClass: Record<string, number> } }>(harness, {
        action: 'reconcile.status',
        reportId: started.reportId,
      });
      return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(s.state) ? s : undefined;
    },
    // As generous as the replay's wait: on a loaded machine the figure shows a slow reconcile instead of losing the run.
    Math.max(300_000, flags.deliveries * 100, (flags.deliveries / flags.budget) * 10_000 + 600_000),
  );
  const seconds = (Date.now() - startedAt) / 1000;
  return {
    reportId: started.reportId,
    state: status.state,
    seconds,
    secondsPer10k: (seconds * 10_000) / flags.deliveries,
    byClass: status.classes.byClass,
  };
};

/**
 * DynamoDB calls the local cloud metered since its last reset (calls through its proxy: the replicator
 * reads the engine directly and is not counted): all regions (schedules and stream polls included,
 * so the figure per delivery grows when the pace drops), the zone's region, the zone's own ledger
 * and inbox (the replay's own reads and writes), and the busiest rows.
 */
const meterReading = (harness: RouterHarness, top = 8) => {
  const meter = harness.rc.cloud.dynamodb.meter;
  const rows = meter
    .snapshot()
    .sort((a, b) => b.requests - a.requests)
    .slice(0, top)
    .map(
      (r) =>
        `${r.region} ${r.table || '-'} ${r.operation}: ${r.requests} ` +
        `(${Math.round(r.readCapacityUnits)} RCU, ${Math.round(r.writeCapacityUnits)} WCU)`,
    );
  const zoneTables = [harness.tables.zone(ZONE, 'ledger'), harness.tables.zone(ZONE, 'inbox')];
  return {
    all: meter.totals().requests,
    zoneRegion: meter.totals({ region: REGION }).requests,
    zoneTables: zoneTables.reduce((n, table) => n + meter.totals({ region: REGION, table }).requests, 0),
    rows,
  };
};

/** Runs the replay bench and prints its figure. */
export const runReplayBench = async (argv: readonly string[]): Promise<void> => {
  const flags = parseReplayFlags(argv);
  const run = `rb${Date.now().toString(36)}`;
  note('starting the local cloud with the router deployed');
  const harness = await RouterHarness.start({ onProgress: (step) => note(`  ${step}`) });
  try {
    note(`seeding ${flags.deliveries} stored events of zone ${ZONE} (${REGION})`);
    // The bench measures the replay alone: the route function's stream mapping on this zone's inbox is off.
    const inbox = harness.tables.zone(ZONE, 'inbox');
    await Promise.all(
      (harness.rc.router.mappings.get(REGION) ?? []).filter((m) => m.options.tableName === inbox).map((m) => m.stop()),
    );
    // The seeded events were received over the last minutes: reconcile reads this window.
    const seededFrom = new Date(Date.now() - flags.deliveries * 10 - 120_000).toISOString();
    await seed(harness, run, flags.deliveries);
    const copies = () =>
      harness
        .delivered(REGION, 'fulfilment')
        .filter((e) => e.envelope.resources.some((r) => r.startsWith('switchyard:replay:')));
    note(`replaying them in force mode at ${flags.budget} PutEvents entries per second`);
    // Seeding went straight to the engine; from here the meter counts what the replay (and the rest of the running router) costs.
    harness.rc.cloud.dynamodb.meter.reset();
    const started = await admin<{ jobId: string }>(harness, {
      action: 'replay.start',
      mode: 'force',
      budgetPerSecond: flags.budget,
      selection: { source: SOURCE },
    });
    const stop = startProgress(
      'replay',
      () => {
        const sentSoFar = copies().length;
        const m = meterReading(harness);
        const perDelivery = sentSoFar > 0 ? (m.all / sentSoFar).toFixed(1) : '-';
        const onZone = sentSoFar > 0 ? (m.zoneTables / sentSoFar).toFixed(1) : '-';
        const line =
          `${sentSoFar} of ${flags.deliveries} sent; ${m.all} DynamoDB calls (${perDelivery} per delivery, ` +
          `${onZone} on the ${ZONE} tables)`;
        return flags.meter ? `${line}\n    ${m.rows.join('\n    ')}` : line;
      },
      10_000,
    );
    const status = await harness
      .waitFor(
        'the replay to complete',
        async () => {
          const s = await admin<{ state: string; progress: Record<string, unknown> }>(harness, {
            action: 'replay.status',
            jobId: started.jobId,
          });
          return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(s.state) ? s : undefined;
        },
        // Ten times the paced duration, plus ten minutes: a loaded machine shows a slow pace in the figure instead of timing out.
        Math.max(120_000, (flags.deliveries / flags.budget) * 10_000 + 600_000),
      )
      .finally(stop);
    const metered = meterReading(harness, 12);
    const sent = copies().filter((e) => e.envelope.resources.includes(`switchyard:replay:${started.jobId}`));
    const times = sent.map((e) => Date.parse(e.receivedAt));
    const perKey = new Map<string, number>();
    for (const e of sent) perKey.set(keyOf(e) ?? '?', (perKey.get(keyOf(e) ?? '?') ?? 0) + 1);
    const pace = measuredPace(times, batchSizeFor(flags.budget));
    const first = Math.min(...times);
    const perSecond: number[] = [];
    for (const t of times) {
      const second = Math.floor((t - first) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    const result = {
      jobId: started.jobId,
      state: status.state,
      deliveries: flags.deliveries,
      budgetPerSecond: flags.budget,
      sent: sent.length,
      sentTwice: [...perKey.values()].filter((n) => n > 1).length,
      durationSeconds: times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 0,
      measuredPacePerSecond: Math.round(pace * 100) / 100,
      paceOverBudget: Math.round((pace / flags.budget) * 1000) / 1000,
      withinTenPercent: Math.abs(pace / flags.budget - 1) <= 0.1,
      /** DynamoDB calls metered from the start of the replay to its end, in every region and in the zone's, per delivery sent. */
      dynamodb: {
        calls: metered.all,
        callsInZoneRegion: metered.zoneRegion,
        callsPerDelivery: sent.length > 0 ? Math.round((metered.all / sent.length) * 100) / 100 : null,
        callsPerDeliveryInZoneRegion:
          sent.length > 0 ? Math.round((metered.zoneRegion / sent.length) * 100) / 100 : null,
        callsOnZoneTables: metered.zoneTables,
        callsPerDeliveryOnZoneTables:
          sent.length > 0 ? Math.round((metered.zoneTables / sent.length) * 100) / 100 : null,
        busiest: metered.rows,
      },
      /** Entries that reached the bus in each second of the run: what live traffic sees. */
      perSecond: Array.from(perSecond, (n) => n ?? 0),
    };
    const replayFigure =
      `replay of ${result.sent}/${result.deliveries} deliveries at a budget of ${result.budgetPerSecond}/s: ` +
      `${result.measuredPacePerSecond}/s measured (${(result.paceOverBudget * 100).toFixed(1)}% of budget) over ` +
      `${result.durationSeconds.toFixed(0)} s; sent twice: ${result.sentTwice}; job ${result.state}\n` +
      `DynamoDB calls during the replay: ${result.dynamodb.calls} (${String(result.dynamodb.callsPerDelivery)} per delivery; ` +
      `${String(result.dynamodb.callsPerDeliveryInZoneRegion)} in ${REGION}; ` +
      `${String(result.dynamodb.callsPerDeliveryOnZoneTables)} on the ${ZONE} ledger and inbox)\n`;
    // Written and shown before the reconcile, so a reconcile that fails or times out does not lose the replay's figure.
    mkdirSync(dirname(RESULTS_PATH), { recursive: true });
    writeFileSync(RESULTS_PATH, `${JSON.stringify(result, null, 2)}\n`);
    note(replayFigure);
    const reconcile = await timeReconcile(harness, seededFrom, flags);
    Object.assign(result, { reconcile });
    writeFileSync(RESULTS_PATH, `${JSON.stringify(result, null, 2)}\n`);
    if (flags.json) console.log(JSON.stringify(result, null, 2));
    else
      console.log(
        `\n${replayFigure}` +
          `reconcile of the same ${flags.deliveries} events: ${reconcile.seconds.toFixed(0)} s ` +
          `(${reconcile.secondsPer10k.toFixed(0)} s per 10,000 events); ${JSON.stringify(reconcile.byClass)}; job ${reconcile.state}\n`,
      );
    note('results written to .local/bench-replay.json');
  } finally {
    await harness.stop();
  }
};
