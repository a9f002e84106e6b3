import { describe, expect, it } from 'vitest';
import { runRepeatedly } from '../../../shared/services/run-repeatedly';

const PERIOD = 10_000;

/** A clock that only moves when the code sleeps or a step takes time; `deadline` is the invocation's end. */
const createFakeTime = (deadline = Number.POSITIVE_INFINITY) => {
  let now = 0;
  const sleeps: number[] = [];
  const runs: Array<{ start: number; end: number }> = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    remainingMs: () => deadline - now,
    /** A step that takes `takesMs` and returns its run number. */
    step: (takesMs = 0) => {
      return async () => {
        const start = now;
        now += takesMs;
        runs.push({ start, end: now });
        return runs.length;
      };
    },
    sleeps,
    runs,
  };
};

describe('runRepeatedly', () => {
  it('runs now and then once every period, six runs in a one-minute budget', async () => {
    // Prepare
    const time = createFakeTime();

    // Act
    const results = await runRepeatedly({ everyMs: PERIOD, budgetMs: 60_000, ...time }, time.step());

    // Assess
    expect(time.runs.map((r) => r.start)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(results).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sleeps only what is left of the period after a step', async () => {
    // Prepare
    const time = createFakeTime();

    // Act
    await runRepeatedly({ everyMs: PERIOD, budgetMs: 30_000, ...time }, time.step(3_000));

    // Assess
    expect(time.runs.map((r) => r.start)).toEqual([0, 10_000, 20_000]);
    expect(time.sleeps).toEqual([7_000, 7_000]);
  });

  it('runs once when the budget is shorter than two periods', async () => {
    const time = createFakeTime();
    await runRepeatedly({ everyMs: PERIOD, budgetMs: 19_999, ...time }, time.step());
    expect(time.runs).toHaveLength(1);
  });

  it('ends every run inside the budget even when steps take longer than the period', async () => {
    // Prepare
    const time = createFakeTime();

    // Act
    await runRepeatedly({ everyMs: PERIOD, budgetMs: 60_000, ...time }, time.step(12_000));

    // Assess
    expect(time.runs.at(-1)?.end).toBeLessThanOrEqual(60_000);
    expect(time.sleeps).toEqual([]);
  });

  it('stops with a period to spare before the invocation runs out of time', async () => {
    // Prepare: the invocation ends at 35 s, well before the budget
    const time = createFakeTime(35_000);

    // Act
    await runRepeatedly({ everyMs: PERIOD, budgetMs: 600_000, ...time }, time.step());

    // Assess: a run at 20 s would end at 30 s, leaving less than a period
    expect(time.runs.map((r) => r.start)).toEqual([0, 10_000]);
  });

  it('keeps a period to spare before the deadline when steps run late', async () => {
    // Prepare
    const time = createFakeTime(60_000);

    // Act
    await runRepeatedly({ everyMs: PERIOD, budgetMs: 600_000, ...time }, time.step(12_000));

    // Assess
    expect(time.runs.at(-1)?.end).toBeLessThanOrEqual(60_000 - PERIOD);
  });

  it('ends with the error of a step that fails', async () => {
    // Prepare
    const time = createFakeTime();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      if (calls === 2) throw new Error('probe exploded');
      return calls;
    };

    // Act
    const run = runRepeatedly({ everyMs: PERIOD, budgetMs: 60_000, ...time }, failing);

    // Assess
    await expect(run).rejects.toThrow('probe exploded');
    expect(calls).toBe(2);
  });
});
