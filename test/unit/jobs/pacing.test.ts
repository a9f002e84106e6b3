import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchSizeFor,
  measuredPace,
  newBucket,
  retune,
  sendingElsewhere,
  shareOf,
  takeTokens,
  type Bucket,
} from '../../../shared/domain/jobs/pacing';

/**
 * Sends `total` entries in batches through the bucket, sleeping what it says, as the runner does:
 * the bucket starts at the first send. Returns the send times.
 */
const simulate = (rate: number, total: number, pauses: (i: number) => number = () => 0): number[] => {
  const batch = batchSizeFor(rate);
  let bucket: Bucket | undefined;
  let now = 0;
  const times: number[] = [];
  for (let i = 0; times.length < total; i += 1) {
    now += pauses(i);
    const n = Math.min(batch, total - times.length);
    const taken = takeTokens(bucket ?? newBucket(rate, batch, now), n, now);
    now += taken.waitMs;
    bucket = taken.bucket;
    for (let k = 0; k < n; k += 1) times.push(now);
  }
  return times;
};

describe('replay pacing', () => {
  it('keeps a steady run at its budget', () => {
    // Act
    const times = simulate(50, 1_000);
    // Assess
    expect(measuredPace(times, batchSizeFor(50))).toBeCloseTo(50, 5);
  });

  it('never runs more than 10% over its budget, whatever the pauses between batches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 50, max: 2_000 }),
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 20 }),
        (rate, total, pauses) => {
          const times = simulate(rate, total, (i) => pauses[i % pauses.length] ?? 0);
          const span = (times[times.length - 1] ?? 0) - (times[0] ?? 0);
          const pace = span > 0 ? ((times.length - batchSizeFor(rate)) * 1000) / span : rate;
          // Pauses only ever slow it down; tokens saved during a pause never push the run over its budget.
          expect(pace).toBeLessThanOrEqual(rate * 1.1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never sends more than twice its budget in any one second, whatever the pauses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 10 }),
        (rate, pauses) => {
          const times = simulate(rate, rate * 5, (i) => pauses[i % pauses.length] ?? 0);
          const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1_000).length));
          expect(busiest).toBeLessThanOrEqual(2 * rate + batchSizeFor(rate));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('catches up after a short pause by what it saved, but never bursts past a second of budget', () => {
    // Prepare: a bucket idle for ten seconds.
    const bucket = newBucket(100, 10, 0);
    // Act
    const first = takeTokens(bucket, 100, 10_000);
    const second = takeTokens(first.bucket, 10, 10_000);
    // Assess
    expect(first.waitMs).toBe(0);
    expect(second.waitMs).toBe(100);
  });

  it('sizes batches at a tenth of a second of budget, between 1 and 10 entries', () => {
    expect([1, 20, 55, 100, 5_000].map(batchSizeFor)).toEqual([1, 2, 6, 10, 10]);
  });

  it('splits a budget among the regions by the live parts each works', () => {
    expect(shareOf(90, 1, 3)).toBe(30);
    expect(shareOf(90, 2, 3)).toBe(60);
    expect(shareOf(90, 0, 0)).toBe(90);
  });

  it('counts as sharing the budget only the parts other regions run with deliveries selected', () => {
    const part = (home: string, state: 'running' | 'done', selected: number) => ({
      zone: 'global',
      home,
      state,
      selected,
    });
    const progress = [
      part('us-east-1', 'running', 40),
      part('eu-west-1', 'running', 0),
      part('ap-southeast-2', 'running', 3),
      part('sa-east-1', 'done', 9),
    ];
    expect(sendingElsewhere(progress, [{ zone: 'global', home: 'us-east-1' }])).toBe(1);
    expect(sendingElsewhere(progress, [{ zone: 'global', home: 'ap-southeast-2' }])).toBe(1);
    expect(sendingElsewhere(progress, [{ zone: 'global', home: 'eu-west-1' }])).toBe(2);
  });

  it('follows a new share without losing what it saved up', () => {
    // Prepare
    const bucket = takeTokens(newBucket(10, 1, 0), 0, 300).bucket;
    // Act
    const faster = retune(bucket, 100, 10, 300);
    // Assess
    expect(faster.tokens).toBeCloseTo(3, 5);
    expect(faster.capacity).toBe(100);
  });
});
