/**
 * Runs `step` now and then every `everyMs` until the next run would end past `budgetMs` (or past
 * what the invocation has left): scheduled functions fire once a minute at most, so the health
 * function and the sweeper loop within one invocation to act every few seconds.
 */
export const runRepeatedly = async <T>(
  options: {
    everyMs: number;
    budgetMs: number;
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    remainingMs?: () => number;
  },
  step: () => Promise<T>,
): Promise<T[]> => {
  const started = options.now();
  const results: T[] = [];
  for (let n = 0; ; n += 1) {
    const due = started + n * options.everyMs;
    const wait = due - options.now();
    if (wait > 0) await options.sleep(wait);
    results.push(await step());
    // A step that overran the period makes the next run start now, not when it was due.
    const nextStart = Math.max(started + (n + 1) * options.everyMs, options.now());
    const left = options.remainingMs?.() ?? Infinity;
    if (
      nextStart - started + options.everyMs > options.budgetMs ||
      left < 2 * options.everyMs + (nextStart - options.now())
    )
      break;
  }
  return results;
};
