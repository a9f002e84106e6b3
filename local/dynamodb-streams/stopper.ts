/** A stop flag plus sleeps that end early on stop. */
export interface Stopper {
  isStopped: () => boolean;
  sleep: (ms: number) => Promise<void>;
  stop: () => void;
}

/** Sleeps that end early on stop, so stopping never waits out a poll interval or a retry delay. */
export const createStopper = (): Stopper => {
  let stopped = false;
  const wakers = new Set<() => void>();
  return {
    isStopped: () => stopped,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        const done = (): void => {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        wakers.add(done);
      }),
    stop: () => {
      stopped = true;
      for (const wake of [...wakers]) wake();
    },
  };
};

/** Doubles the pause per consecutive failure, up to one second. */
export const errorBackoffMs = (baseMs: number, failures: number): number =>
  Math.min(1_000, Math.max(baseMs, 20) * 2 ** Math.min(failures, 10));
