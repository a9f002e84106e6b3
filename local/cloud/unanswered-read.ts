/**
 * An admin refusal made before anything was written: no majority answered a quorum read in time
 * (each region has REGION_TIMEOUT_MS, 1 s). On a starved machine that is a slow answer, not a
 * verdict, and the same call may simply be made again, as the refusal tells an operator.
 */
export const isUnansweredRead = (error: { code?: string; message?: string } | undefined): boolean =>
  error?.code === 'NoQuorum' && (error.message ?? '').includes('answered reading');

/** Pause between attempts of a call refused by an unanswered read. */
export const UNANSWERED_READ_PAUSE_MS = 2_000;
