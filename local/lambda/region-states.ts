/** Whether a region's Lambda service runs its functions. */
export type FunctionsState = 'running' | 'stopped';

/** What a drill has done to one region's functions. */
export interface RegionState {
  functions: FunctionsState;
  /** How far the functions' clock (`Date`) is ahead of real time; negative is behind. */
  clockSkewMs: number;
}

/** The largest skew a drill may set either way: a minute, well inside the 5 minutes SigV4 tolerates. */
export const MAX_CLOCK_SKEW_MS = 60_000;

/**
 * Drill state of each region's functions: stopped or running, and the clock skew their workers
 * read live from shared memory (one Int32 per region), so a change reaches warm workers too.
 */
export class RegionStates {
  private readonly stopped = new Set<string>();
  private readonly clocks = new Map<string, Int32Array>();
  private readonly stopListeners: Array<(region: string) => void> = [];
  private readonly startListeners: Array<(region: string) => void> = [];

  /**
   * Stops or restarts a region's functions. A regional outage takes running invocations down with
   * it (listeners terminate them): a long-running scheduled function must not keep renewing leases.
   */
  setFunctions(region: string, state: FunctionsState): void {
    if (state !== 'running' && state !== 'stopped')
      throw new RangeError(`state must be "running" or "stopped", got ${JSON.stringify(state)}`);
    if (state === 'stopped') {
      this.stopped.add(region);
      for (const listener of this.stopListeners) listener(region);
    } else if (this.stopped.delete(region)) {
      for (const listener of this.startListeners) listener(region);
    }
  }

  /** Called with the region whenever its stopped functions run again. */
  onStarted(listener: (region: string) => void): void {
    this.startListeners.push(listener);
  }

  /** Called with the region whenever its functions are stopped. */
  onStopped(listener: (region: string) => void): void {
    this.stopListeners.push(listener);
  }

  isStopped(region: string): boolean {
    return this.stopped.has(region);
  }

  /** Shifts the region's function clock by `skewMs` (0 resets it). */
  setClockSkew(region: string, skewMs: number): void {
    if (!Number.isInteger(skewMs) || Math.abs(skewMs) > MAX_CLOCK_SKEW_MS)
      throw new RangeError(
        `skewMs must be an integer from -${MAX_CLOCK_SKEW_MS} to ${MAX_CLOCK_SKEW_MS}, got ${JSON.stringify(skewMs)}`,
      );
    Atomics.store(this.clock(region), 0, skewMs);
  }

  /** The memory a worker of `region` reads its clock skew from. */
  clockBuffer(region: string): SharedArrayBuffer {
    return this.clock(region).buffer as SharedArrayBuffer;
  }

  describe(region: string): RegionState {
    return {
      functions: this.stopped.has(region) ? 'stopped' : 'running',
      clockSkewMs: Atomics.load(this.clock(region), 0),
    };
  }

  private clock(region: string): Int32Array {
    let clock = this.clocks.get(region);
    if (!clock) {
      clock = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
      this.clocks.set(region, clock);
    }
    return clock;
  }
}
