/** Prints `label: <status>` to stderr every few seconds until stopped, so a long run shows it is alive. */
export const startProgress = (label: string, status: () => string, everyMs = 3_000): (() => void) => {
  const started = Date.now();
  const timer = setInterval(() => {
    process.stderr.write(`  ${label}: ${status()} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }, everyMs);
  return () => clearInterval(timer);
};

/** One progress line now, on stderr so stdout keeps only the results. */
export const note = (line: string): void => void process.stderr.write(`${line}\n`);
