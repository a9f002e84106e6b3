import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptOf, keyOf, RouterHarness } from '../../../local/harness/router-harness';
import { measuredPace } from '../../../shared/domain/jobs/pacing';
import {
  adminCall,
  copiesPerKey,
  deleteDeliveryRows,
  order,
  orderKey,
  ORDERS,
  replayedBy,
  type StatusView,
  waitForCopies,
  waitForJob,
  waitForSteadyRegions,
} from './support/job-harness';

const HOME = 'us-east-1';

describe('replay jobs on the local cloud', () => {
  let harness: RouterHarness;
  const run = `rp${Date.now().toString(36)}`;
  /**
   * Publishes orders in us-east-1, once every region routes its own homes, and waits until each
   * reached fulfilment and its delivery is confirmed.
   */
  const publishOrders = async (prefix: string, count: number): Promise<string[]> => {
    await waitForSteadyRegions(harness);
    const ids = Array.from({ length: count }, (_, i) => `${run}-${prefix}-${i}`);
    await harness.publish(
      HOME,
      ids.map((id) => order(id)),
    );
    const keys = new Set(ids.map(orderKey));
    await harness.waitFor(`${count} ${prefix} orders delivered`, () => {
      const delivered = new Set(harness.delivered(HOME, 'fulfilment').map(keyOf));
      return [...keys].every((k) => delivered.has(k));
    });
    // A copy reaches its bus before the router confirms it and settles its event: wait for both, or a
    // test that then deletes a delivery row races the router, whose sweeper would deliver it again
    // before the replay does (seen on a loaded CI machine).
    await harness.waitFor(`${count} ${prefix} orders confirmed and settled in the ledger`, async () => {
      const rows = await harness.scan(HOME, harness.tables.zone('global', 'ledger'));
      const mine = rows.filter((r) => keys.has(String(r.id)));
      const confirmed = new Set(mine.filter((r) => r.kind === 'delivery' && r.status === 'delivered').map((r) => r.id));
      const settled = new Set(mine.filter((r) => r.kind === 'event' && r.settledAt !== undefined).map((r) => r.id));
      return [...keys].every((k) => confirmed.has(k) && settled.has(k));
    });
    return ids;
  };
  const window = () => ({ source: ORDERS, from: new Date(Date.now() - 120_000).toISOString() });
  /** A finished job's state and counts, with the reasons for anything skipped or failed. */
  const outcomeOf = ({ state, progress }: StatusView) => ({
    state,
    sent: progress.sent,
    failed: progress.failed,
    skipped: progress.skipped,
    reasons: progress.reasons,
  });
  const completedSending = (sent: number) => ({ state: 'COMPLETED', sent, failed: 0, skipped: 0, reasons: {} });

  beforeAll(async () => {
    harness = await RouterHarness.start();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('sends in missing mode what its dry run counted, and nothing when run again', async () => {
    // Prepare: twelve orders delivered; the ledger then loses five of their delivery rows.
    const ids = await publishOrders('missing', 12);
    const lost = ids.slice(0, 5).map(orderKey);
    await deleteDeliveryRows(
      harness,
      harness.tables.zone('global', 'ledger'),
      lost.map((id) => ({ id, sk: 'fulfilment#local@us-east-1' })),
    );
    await harness.settle();
    const selection = { ...window(), eventIds: ids.map(orderKey) };
    // Act
    const dry = await adminCall<{ counts: Record<string, unknown> & { total: number } }>(harness, {
      action: 'replay.start',
      mode: 'missing',
      dryRun: true,
      selection,
    });
    const started = await adminCall<{ jobId: string }>(harness, { action: 'replay.start', mode: 'missing', selection });
    const done = await waitForJob(harness, 'replay', started.jobId);
    await harness.settle();
    const again = await adminCall<{ jobId: string }>(harness, { action: 'replay.start', mode: 'missing', selection });
    const second = await waitForJob(harness, 'replay', again.jobId);
    // Assess
    expect(dry.counts).toEqual({
      total: 5,
      byTenant: { orders: 5 },
      byRoute: { 'orders-to-fulfilment': 5 },
      byTargetRegion: { 'us-east-1': 5 },
    });
    expect(done).toMatchObject({
      state: 'COMPLETED',
      progress: { sent: 5, byTenant: { orders: 5 }, byTargetRegion: { 'us-east-1': 5 } },
    });
    expect(replayedBy(harness, started.jobId).map(keyOf).sort()).toEqual([...lost].sort());
    expect(second.progress.sent).toBe(0);
    expect(replayedBy(harness, again.jobId)).toEqual([]);
  }, 180_000);

  it('delivers again in force mode, each delivery once per job, carrying the job and its attempt number', async () => {
    // Prepare
    const ids = await publishOrders('force', 4);
    // Act
    const started = await adminCall<{ jobId: string }>(harness, {
      action: 'replay.start',
      mode: 'force',
      selection: { ...window(), eventIds: ids.map(orderKey) },
    });
    const done = await waitForJob(harness, 'replay', started.jobId);
    // Assess
    const copies = replayedBy(harness, started.jobId);
    expect(done.progress.sent).toBe(4);
    expect([...copiesPerKey(copies).values()]).toEqual([1, 1, 1, 1]);
    for (const copy of copies) {
      expect(copy.envelope.resources).toContain('switchyard:attempt:1');
      expect(copy.envelope.resources).toContain(`switchyard:replay:${started.jobId}`);
      expect(copy.envelope.resources.some((r) => r.startsWith('switchyard:epoch:us-east-1:'))).toBe(true);
    }
  }, 120_000);

  it('never sends faster than its budget of PutEvents entries per second', async () => {
    // Prepare
    const ids = await publishOrders('paced', 40);
    const budget = 8;
    // The job starts well inside one sweeper invocation: this measures the pace of a slice, not the
    // hand-over between invocations (up to a second, which the bucket saves up for; the bench's long
    // replays span several).
    await harness.untilSweeperRunHasLeft(HOME, 25_000);
    // Act
    const started = await adminCall<{ jobId: string }>(harness, {
      action: 'replay.start',
      mode: 'force',
      budgetPerSecond: budget,
      selection: { ...window(), eventIds: ids.map(orderKey) },
    });
    const done = await waitForJob(harness, 'replay', started.jobId);
    // Assess, from when each copy reached its bus.
    const times = replayedBy(harness, started.jobId).map((e) => Date.parse(e.receivedAt));
    expect(times).toHaveLength(40);
    // Never over budget: the bucket starts empty at the part's first send, after the part started,
    // so the 40th entry cannot have been sent before 40 entries' worth of budget had passed since
    // then, however the sends' latencies vary (the pace between the first and last arrival can
    // exceed the budget when the first send is the slow one: CI measured 8.95/s that way).
    // 2 ms: timestamps are whole milliseconds.
    const part = done.progress.parts.find((p) => p.home === HOME);
    const startedAt = Date.parse(part?.startedAt ?? '');
    expect(Math.max(...times) - startedAt).toBeGreaterThanOrEqual((times.length * 1000) / budget - 2);
    // Keeping up with the budget is a speed, and the bench's figure (10,000 at 10/s: 99.3%): beside a
    // CPU hog this slice measured 6.08/s. Here only a pacer that waits far too long fails (a quarter).
    expect(measuredPace(times, 1)).toBeGreaterThan(budget / 4);
  }, 120_000);

  it('resumes from its cursor after its runner crashes, and repeats a delivery only as a counted later attempt', async () => {
    // Prepare: paced slowly, so the crash mostly falls between two sends (a crash between a send and
    // its confirm is a counted repeat, as for any delivery); the region's functions go down just after
    // the third copy arrives and come back a second later.
    const ids = await publishOrders('crash', 12);
    const started = await adminCall<{ jobId: string }>(harness, {
      action: 'replay.start',
      mode: 'force',
      budgetPerSecond: 2,
      selection: { ...window(), eventIds: ids.map(orderKey) },
    });
    await waitForCopies(harness, started.jobId, 3);
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Act
    harness.rc.cloud.runtime.regionStates.setFunctions(HOME, 'stopped');
    const beforeCrash = replayedBy(harness, started.jobId).length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    harness.rc.cloud.runtime.regionStates.setFunctions(HOME, 'running');
    const done = await waitForJob(harness, 'replay', started.jobId);
    // Assess
    const sent = replayedBy(harness, started.jobId);
    const copies = copiesPerKey(sent);
    expect(beforeCrash).toBeLessThan(12);
    expect(outcomeOf(done)).toEqual(completedSending(12));
    expect(copies.size).toBe(12);
    // On a starved machine the crash can still fall between a send and its confirm: the resumed job
    // sends that one delivery again as its next attempt, and the job's ledger row counts the repeat.
    // Any other extra copy (the same attempt twice, an uncounted repeat, more than the crash explains) fails.
    const repeated = [...copies].filter(([, n]) => n > 1);
    const rows = await harness.scan(HOME, harness.tables.zone('global', 'ledger'));
    for (const [key, n] of repeated) {
      const attempts = new Set(sent.filter((e) => keyOf(e) === key).map(attemptOf));
      const row = rows.find((r) => r.id === key && String(r.sk).endsWith(`#replay:${started.jobId}`));
      const counted = Number(row?.redeliveries ?? 0) > 0;
      expect({ key, distinct: attempts.size, counted }).toEqual({ key, distinct: n, counted: true });
    }
    expect(repeated.reduce((sum, [, n]) => sum + n - 1, 0)).toBeLessThanOrEqual(1);
  }, 180_000);

  it('works each part in one invocation at a time when sweeper invocations overlap', async () => {
    // Prepare: Lambda runs overlapping scheduled invocations side by side (a run longer than its
    // period, a region's restart); here three more sweepers start in the home beside the scheduled one.
    const ids = await publishOrders('overlap', 12);
    const started = await adminCall<{ jobId: string }>(harness, {
      action: 'replay.start',
      mode: 'force',
      budgetPerSecond: 4,
      selection: { ...window(), eventIds: ids.map(orderKey) },
    });
    // Act
    const sweepers = [1, 2, 3].map(
      () =>
        harness.rc.cloud.runtime.invoke(HOME, 'sweeper', {
          source: 'aws.events',
          'detail-type': 'Scheduled Event',
        }) as Promise<{ jobParts: number }>,
    );
    const done = await waitForJob(harness, 'replay', started.jobId);
    const reports = await Promise.all(sweepers);
    // Assess: one runner at a time (the scheduled sweeper or one of these), its counts exact, each delivery once.
    expect(reports.reduce((n, r) => n + r.jobParts, 0)).toBeLessThanOrEqual(1);
    expect(outcomeOf(done)).toEqual(completedSending(12));
    expect([...copiesPerKey(replayedBy(harness, started.jobId)).values()]).toEqual(Array(12).fill(1));
  }, 300_000);

  it('stops sending once cancelled', async () => {
    // Prepare
    const ids = await publishOrders('cancel', 20);
    const started = await adminCall<{ jobId: string }>(harness, {
      action: 'replay.start',
      mode: 'force',
      budgetPerSecond: 2,
      selection: { ...window(), eventIds: ids.map(orderKey) },
    });
    await waitForCopies(harness, started.jobId, 1);
    // Act
    const cancelled = await adminCall<{ state: string }>(harness, { action: 'replay.cancel', jobId: started.jobId });
    // Chunks already in flight may still land (the job checks its state about once a second); on a
    // loaded machine that can take a few seconds. Then nothing more may come.
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let settled = -1;
    for (let i = 0; i < 20 && replayedBy(harness, started.jobId).length !== settled; i += 1) {
      settled = replayedBy(harness, started.jobId).length;
      await sleep(2_000);
    }
    await sleep(3_000);
    // Assess
    expect(cancelled.state).toBe('CANCELLED');
    expect(replayedBy(harness, started.jobId).length).toBe(settled);
    expect(settled).toBeLessThan(20);
    expect((await waitForJob(harness, 'replay', started.jobId)).state).toBe('CANCELLED');
    await expect(adminCall(harness, { action: 'replay.resume', jobId: started.jobId })).rejects.toThrow(
      'InvalidJobState',
    );
  }, 300_000);
});
