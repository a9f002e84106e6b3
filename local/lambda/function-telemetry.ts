/** One line a function wrote to stdout or stderr (Powertools Logger writes JSON lines). */
export interface FunctionLogLine {
  region: string;
  functionName: string;
  stream: 'stdout' | 'stderr';
  line: string;
  at: string;
}

/** Per-function counters, like the Lambda CloudWatch metrics. */
export interface FunctionStats {
  invocations: number;
  errors: number;
  timeouts: number;
  coldStarts: number;
  inFlight: number;
  totalDurationMs: number;
  maxDurationMs: number;
  /** The most recent durations, oldest first, for percentiles. */
  recentDurationsMs: number[];
}

const RECENT_DURATIONS = 1_000;

/** Keeps the last `capacity` log lines and the counters of one function. */
export class FunctionTelemetry {
  private readonly lines: FunctionLogLine[] = [];
  readonly stats: FunctionStats = {
    invocations: 0,
    errors: 0,
    timeouts: 0,
    coldStarts: 0,
    inFlight: 0,
    totalDurationMs: 0,
    maxDurationMs: 0,
    recentDurationsMs: [],
  };

  constructor(private readonly capacity: number) {}

  addLine(line: FunctionLogLine): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  logs(): FunctionLogLine[] {
    return [...this.lines];
  }

  recordInvocation(durationMs: number, outcome: 'ok' | 'error' | 'timeout'): void {
    const stats = this.stats;
    stats.invocations += 1;
    if (outcome !== 'ok') stats.errors += 1;
    if (outcome === 'timeout') stats.timeouts += 1;
    stats.totalDurationMs += durationMs;
    stats.maxDurationMs = Math.max(stats.maxDurationMs, durationMs);
    stats.recentDurationsMs.push(durationMs);
    if (stats.recentDurationsMs.length > RECENT_DURATIONS) stats.recentDurationsMs.shift();
  }
}
