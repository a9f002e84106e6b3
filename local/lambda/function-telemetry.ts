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
  /** Failed invocations by error type (`Sandbox.Timedout`, `TimeoutError` from middy's early answer, a thrown error's name). */
  errorTypes: Record<string, number>;
  /** The most recent durations, oldest first, for percentiles. */
  recentDurationsMs: number[];
}

const RECENT_DURATIONS = 1_000;

/** The error type of an invocation the runtime stopped at its deadline. */
export const TIMED_OUT = 'Sandbox.Timedout';

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
    errorTypes: {},
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

  /** Counts one invocation; `errorType` names a failure (a timeout is `Sandbox.Timedout`). */
  recordInvocation(durationMs: number, errorType?: string): void {
    const stats = this.stats;
    stats.invocations += 1;
    if (errorType !== undefined) {
      stats.errors += 1;
      stats.errorTypes[errorType] = (stats.errorTypes[errorType] ?? 0) + 1;
    }
    if (errorType === TIMED_OUT) stats.timeouts += 1;
    stats.totalDurationMs += durationMs;
    stats.maxDurationMs = Math.max(stats.maxDurationMs, durationMs);
    stats.recentDurationsMs.push(durationMs);
    if (stats.recentDurationsMs.length > RECENT_DURATIONS) stats.recentDurationsMs.shift();
  }
}
