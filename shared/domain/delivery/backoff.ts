export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniform delay in [0, min(cap, base * 2^attempt)).
 * Spreading retries keeps many routers from hammering a throttled bus in lockstep.
 */
export const backoffDelay = (attempt: number, policy: BackoffPolicy, random: () => number): number => {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
};
