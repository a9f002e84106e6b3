/**
 * Pacing of a replay: a token bucket in PutEvents entries per second, so a replay never takes more
 * of a bus's throughput than its budget and live traffic keeps its latency. Pure: the caller
 * passes the time and sleeps for the wait it is told.
 */

import type { PartProgress } from './job-model';

/** The bucket: tokens available at `at` (ms). */
export interface Bucket {
  ratePerSecond: number;
  capacity: number;
  tokens: number;
  at: number;
}

/**
 * How long a bucket may save up while the replay is not sending (a page read, a slice starting
 * over, a cursor write): one second of budget, at least one batch. It keeps the long-run pace at
 * the budget through such gaps, and bounds any one second at twice the budget.
 */
export const bucketCapacity = (ratePerSecond: number, batch: number): number =>
  Math.max(batch, Math.ceil(ratePerSecond));

/** Entries per PutEvents call: about a tenth of a second of budget (smooth for the bus), 1 to 10. */
export const batchSizeFor = (ratePerSecond: number): number =>
  Math.min(10, Math.max(1, Math.round(ratePerSecond / 10)));

/** A new bucket, empty: the first entries wait their turn like every later one. */
export const newBucket = (ratePerSecond: number, batch: number, at: number): Bucket => ({
  ratePerSecond,
  capacity: bucketCapacity(ratePerSecond, batch),
  tokens: 0,
  at,
});

/** The bucket refilled up to `at`, never past its capacity. */
const refill = (bucket: Bucket, at: number): Bucket => {
  const earned = (Math.max(0, at - bucket.at) * bucket.ratePerSecond) / 1000;
  return { ...bucket, tokens: Math.min(bucket.capacity, bucket.tokens + earned), at: Math.max(at, bucket.at) };
};

/**
 * Takes `n` tokens at `at`: returns how long to wait before sending and the bucket after the
 * send. Tokens may go negative by the wait, so a caller that sleeps `waitMs` then sends keeps the
 * long-run rate at `ratePerSecond` exactly.
 */
export const takeTokens = (bucket: Bucket, n: number, at: number): { waitMs: number; bucket: Bucket } => {
  const full = refill(bucket, at);
  const left = full.tokens - n;
  const waitMs = left >= 0 ? 0 : Math.ceil((-left * 1000) / full.ratePerSecond);
  return { waitMs, bucket: { ...full, tokens: left } };
};

/** A bucket following a new rate (the job's share changed), keeping what it saved up. */
export const retune = (bucket: Bucket, ratePerSecond: number, batch: number, at: number): Bucket => {
  const full = refill(bucket, at);
  const capacity = bucketCapacity(ratePerSecond, batch);
  return { ...full, ratePerSecond, capacity, tokens: Math.min(full.tokens, capacity) };
};

/**
 * This region's share of a job's budget: parts run in several regions at once (each by the owner
 * of its home), so each runner takes the budget in proportion to the live parts it works.
 */
export const shareOf = (budgetPerSecond: number, mine: number, live: number): number =>
  live <= 0 || mine <= 0 ? budgetPerSecond : (budgetPerSecond * Math.min(mine, live)) / live;

/**
 * Parts other regions are sending for now: running, with deliveries selected. A part still reading
 * its first page, or one whose home holds nothing selected, takes no share: once it selects
 * something, its runner's next progress shows it (about a second), and the shares shrink again.
 */
export const sendingElsewhere = (
  progress: readonly Pick<PartProgress, 'zone' | 'home' | 'state' | 'selected'>[],
  mine: readonly { zone: string; home: string }[],
): number =>
  progress.filter(
    (p) => p.state === 'running' && p.selected > 0 && !mine.some((m) => m.zone === p.zone && m.home === p.home),
  ).length;

/** The pace a run achieved: entries after the first batch over the time from first to last send. */
export const measuredPace = (sendTimesMs: readonly number[], firstBatch: number): number => {
  if (sendTimesMs.length <= firstBatch) return 0;
  const sorted = [...sendTimesMs].sort((a, b) => a - b);
  const span = (sorted[sorted.length - 1] ?? 0) - (sorted[0] ?? 0);
  return span <= 0 ? 0 : ((sorted.length - firstBatch) * 1000) / span;
};
