/** What one bench run measures, from the command line. */
export interface BenchFlags {
  /** Events published to each side (the measured workload). */
  events: number;
  /** Events sent to each side first and left out of the figures, so cold starts do not skew either side. */
  warmup: number;
  /** Print the results as JSON on stdout instead of the table (progress stays on stderr). */
  json: boolean;
}

const USAGE = 'usage: npm run bench -- [--events N] [--warmup N] [--json]';

const positiveInteger = (flag: string, raw: string | undefined, min: number): number => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${flag} needs an integer >= ${min}, got ${String(raw)}\n${USAGE}`);
  return value;
};

/** Parses `--events N --warmup N --json`; anything else is refused with the usage line. */
export const parseBenchFlags = (argv: readonly string[]): BenchFlags => {
  const flags: BenchFlags = { events: 600, warmup: 30, json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') flags.json = true;
    else if (arg === '--events') flags.events = positiveInteger(arg, argv[(i += 1)], 1);
    else if (arg === '--warmup') flags.warmup = positiveInteger(arg, argv[(i += 1)], 0);
    else throw new Error(`unknown argument ${String(arg)}\n${USAGE}`);
  }
  return flags;
};
