/** Counters of one stream event source mapping. */
export interface StreamMappingStats {
  /** Invocations, retries included. */
  batches: number;
  /** Records handed to the function, re-deliveries included. */
  records: number;
  /** Records dropped by the filter criteria and checkpointed past. */
  filtered: number;
  /** Invocations that failed wholly or partly. */
  failures: number;
  /** Re-invocations of the same (or the remaining) records; bisected halves are not retries. */
  retries: number;
  onFailureSends: number;
  /** Records given up on, whether or not a destination was told. */
  discardedRecords: number;
  /** Age of the newest record of the latest batch when invoked, from when the reader saw it. */
  iteratorAgeMs: number;
  /** True while a batch waits for the region's stopped functions to run again. */
  paused: boolean;
}

/** Fresh zeroed counters. */
export const emptyStreamMappingStats = (): StreamMappingStats => ({
  batches: 0,
  records: 0,
  filtered: 0,
  failures: 0,
  retries: 0,
  onFailureSends: 0,
  discardedRecords: 0,
  iteratorAgeMs: 0,
  paused: false,
});
