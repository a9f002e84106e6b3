/**
 * Replay and reconcile jobs as state machines (docs/runbooks/replay.md): what an operator asked
 * for, and how far each (zone, home) part of it has got. Pure: no storage, no clock.
 */

/** What an operator sees a job as. */
export type JobState = 'STARTING' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

/** The states an operator (or the job's last part) writes; RUNNING and COMPLETED also follow from the parts. */
export const JOB_STATES: readonly JobState[] = ['STARTING', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED', 'FAILED'];

export type JobKind = 'replay' | 'reconcile';
export type ReplayMode = 'missing' | 'force';
export type StatusFilter = 'parked' | 'delivered' | 'waiting' | 'missing' | 'all';

/** Which deliveries a replay works on; every field narrows, none selects everything. */
export interface Selection {
  tenant?: string;
  route?: string;
  source?: string;
  target?: string;
  /** The region a delivery goes to. */
  region?: string;
  status?: StatusFilter;
  from?: string;
  to?: string;
  /** Switchyard keys (`k1…`/`h1:…`) or EventBridge event ids; kept in the zone tables, never in the control store. */
  eventIds?: string[];
}

/** A part of a job: the events of one zone accepted by one home, worked by whoever owns that (zone, home) now. */
export type PartState = 'pending' | 'running' | 'done' | 'failed';

/** Counters every part keeps; they add up to the job's progress. */
export interface JobCounts {
  /** Event rows read from the index. */
  scanned: number;
  /** Deliveries the selection chose (what a dry run reports). */
  selected: number;
  /** Deliveries sent and confirmed. */
  sent: number;
  /** Chosen but not sent: already delivered by the job, blocked by residency, waiting for a region. */
  skipped: number;
  /** Sent and refused for good, or given up on after retries. */
  failed: number;
}

/** Selected (dry run) or sent (real run) deliveries, broken down. */
export interface Breakdown {
  byTenant: Record<string, number>;
  byRoute: Record<string, number>;
  byTargetRegion: Record<string, number>;
}

/** Reconcile's counts per class, tenant and region (docs/runbooks/reconcile.md). */
export interface ClassCounts {
  byClass: Record<string, number>;
  byTenant: Record<string, Record<string, number>>;
  byRegion: Record<string, Record<string, number>>;
  /** Deliveries reconcile had to act on (missing ones, delivered now). */
  toDo: number;
  deliveredNow: number;
}

/** One part's progress as the control store keeps it: counts and states only, never a key. */
export interface PartProgress extends JobCounts {
  zone: string;
  home: string;
  state: PartState;
  /** The region that worked it last, and the epoch of its lease on (zone, home). */
  owner?: string;
  epoch?: number;
  breakdown: Breakdown;
  classes?: ClassCounts;
  /** Skipped and failed deliveries by reason. */
  reasons?: Record<string, number>;
  startedAt?: string;
  updatedAt?: string;
  lastError?: string;
  /** Consecutive slices that ended in an unexpected error; the part fails at MAX_PART_ERRORS. */
  errors: number;
}

/** A job as the control store keeps it (no key, no payload: event ids are counted, not kept). */
export interface JobSummary {
  jobId: string;
  kind: JobKind;
  /** The state an operator set (or COMPLETED/FAILED once the parts said so). */
  state: JobState;
  mode: ReplayMode;
  dryRun: boolean;
  selection: Omit<Selection, 'eventIds'> & { eventIdCount?: number };
  budgetPerSecond: number;
  /** The (zone, home) pairs this job covers. */
  parts: { zone: string; home: string }[];
  /** Reconcile: the region reconciled and the outage the window came from. */
  region?: string;
  outage?: OutageFacts;
  createdAt: string;
  updatedAt: string;
  caller: string;
}

/** When the reconciled region was taken over and given back, and what the successor held then (timestamps only). */
export interface OutageFacts {
  takeoverAt: string;
  recoveredAt?: string;
  /** Per zone, per index shard of the region's home: the latest `receivedAt` the successor held at takeover. */
  watermarks?: Record<string, Record<string, string>>;
}

/** A part that failed this many slices in a row is given up on, and the job is FAILED. */
export const MAX_PART_ERRORS = 3;

/** No counts yet. */
export const zeroCounts = (): JobCounts => ({ scanned: 0, selected: 0, sent: 0, skipped: 0, failed: 0 });

/** An empty breakdown. */
export const emptyBreakdown = (): Breakdown => ({ byTenant: {}, byRoute: {}, byTargetRegion: {} });

/**
 * The state an operator sees: an operator's PAUSED, CANCELLED or a recorded end wins; otherwise the
 * parts decide (any failed → FAILED, all done → COMPLETED, any picked up → RUNNING, else STARTING).
 */
export const deriveJobState = (written: JobState, parts: readonly Pick<PartProgress, 'state'>[]): JobState => {
  if (written === 'PAUSED' || written === 'CANCELLED' || written === 'COMPLETED' || written === 'FAILED')
    return written;
  if (parts.some((p) => p.state === 'failed')) return 'FAILED';
  if (parts.length > 0 && parts.every((p) => p.state === 'done')) return 'COMPLETED';
  if (parts.some((p) => p.state !== 'pending')) return 'RUNNING';
  return 'STARTING';
};

/** What an operator can ask of a running job. */
export type JobCommand = 'pause' | 'resume' | 'cancel';

/** Why a command does not apply to the job's state. */
export class JobTransitionError extends Error {
  constructor(
    readonly command: JobCommand,
    readonly state: JobState,
  ) {
    super(`cannot ${command} a job that is ${state}`);
    this.name = 'JobTransitionError';
  }
}

/**
 * The state a command moves a job to: pause from STARTING or RUNNING, resume from PAUSED, cancel
 * from anything not finished. A finished job (COMPLETED, CANCELLED, FAILED) stays as it is.
 */
export const applyCommand = (state: JobState, command: JobCommand): JobState => {
  const live = state === 'STARTING' || state === 'RUNNING';
  if (command === 'pause' && live) return 'PAUSED';
  if (command === 'resume' && state === 'PAUSED') return 'RUNNING';
  if (command === 'cancel' && (live || state === 'PAUSED')) return 'CANCELLED';
  throw new JobTransitionError(command, state);
};

/** Whether runners work on a job in this state. */
export const isRunnable = (state: JobState): boolean => state === 'STARTING' || state === 'RUNNING';

/** Whether a job is over (nothing will change it any more). */
export const isFinished = (state: JobState): boolean =>
  state === 'COMPLETED' || state === 'CANCELLED' || state === 'FAILED';

/**
 * A job id that sorts by creation time (the control store lists newest first) and fits the
 * `switchyard:replay:<job>` trace resource: `rp-20261130T192451-3fa9c2`.
 */
export const newJobId = (kind: JobKind, now: Date, suffix: string): string =>
  `${kind === 'replay' ? 'rp' : 'rc'}-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${suffix.slice(0, 6)}`;

/** Adds counts. */
export const addCounts = (a: JobCounts, b: Partial<JobCounts>): JobCounts => ({
  scanned: a.scanned + (b.scanned ?? 0),
  selected: a.selected + (b.selected ?? 0),
  sent: a.sent + (b.sent ?? 0),
  skipped: a.skipped + (b.skipped ?? 0),
  failed: a.failed + (b.failed ?? 0),
});

/** Adds `n` under `key` in a count map. */
export const bump = (map: Record<string, number>, key: string, n = 1): void => {
  map[key] = (map[key] ?? 0) + n;
};

/** Sums breakdowns. */
export const addBreakdowns = (parts: readonly Breakdown[]): Breakdown => {
  const total = emptyBreakdown();
  for (const part of parts) {
    for (const [key, n] of Object.entries(part.byTenant)) bump(total.byTenant, key, n);
    for (const [key, n] of Object.entries(part.byRoute)) bump(total.byRoute, key, n);
    for (const [key, n] of Object.entries(part.byTargetRegion)) bump(total.byTargetRegion, key, n);
  }
  return total;
};
