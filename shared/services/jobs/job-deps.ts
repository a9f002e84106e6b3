import type { ControlJobs } from '../../adapters/control-jobs';
import type { InboxTable } from '../../adapters/inbox-table';
import type { Bucket } from '../../domain/jobs/pacing';
import type { DeliveryDeps } from '../delivery/delivery-deps';
import type { OwnershipView } from '../ownership-view';

/** How a runner works on job parts. */
export interface JobSettings {
  /** Event rows read per index query. */
  pageSize: number;
  /** How long a replay's claim holds: a slice sends within seconds, so a crashed runner's claims free up soon. */
  claimTtlMs: number;
  /** How long a part's lock holds past the slice that took it. */
  lockMs: number;
  /** When an event whose delivery was in flight, waiting or refused by a busy store is looked at again. */
  retryDelayMs: number;
  /** Looks at such an event this many times, then counts its delivery failed. */
  maxRetries: number;
  /** How often a slice re-reads the job's state (an operator's pause or cancel) and publishes progress. */
  checkEveryMs: number;
}

/** Job settings for AWS; the local cloud uses the same (its sweeper passes are shorter). */
export const DEFAULT_JOB_SETTINGS: JobSettings = {
  pageSize: 100,
  claimTtlMs: 30_000,
  lockMs: 10_000,
  retryDelayMs: 2_000,
  maxRetries: 5,
  checkEveryMs: 1_000,
};

/** What the job runner (in the sweeper) needs: the delivery engine's deps plus the job stores. */
export interface JobDeps extends DeliveryDeps {
  control: ControlJobs;
  inbox: InboxTable;
  ownership: OwnershipView;
  /** This runner's identity on part locks: the region, the container and the invocation (one runner per invocation). */
  holder: string;
  jobSettings: JobSettings;
  /** Token buckets per job, kept for the container's life (pacing across slices). */
  buckets: Map<string, Bucket>;
}
