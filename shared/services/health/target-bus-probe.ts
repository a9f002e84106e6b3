/**
 * Asks every target bus of the region whether it answers, each within `deadlineMs`: a bus that
 * fails or is still silent at the deadline counts as failing. The deadline keeps a slow target bus
 * from delaying the heartbeat and the lease renewals that follow the probes in the same tick, so a
 * bad target never makes its region look dead (decision 014); it only makes it degraded.
 */
export const probeTargetBuses = async (
  buses: readonly string[],
  describe: (bus: string) => Promise<unknown>,
  deadlineMs: number,
): Promise<Record<string, boolean>> => {
  const timers: NodeJS.Timeout[] = [];
  const late = new Promise<false>((resolve) => {
    timers.push(setTimeout(() => resolve(false), deadlineMs));
  });
  try {
    const answers = await Promise.all(
      buses.map((bus) =>
        Promise.race([
          describe(bus).then(
            () => true,
            () => false,
          ),
          late,
        ]),
      ),
    );
    return Object.fromEntries(buses.map((bus, i) => [bus, answers[i] ?? false]));
  } finally {
    timers.forEach((timer) => clearTimeout(timer));
  }
};
