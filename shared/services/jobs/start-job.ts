import type { ControlJobs } from '../../adapters/control-jobs';
import type { LedgerTable } from '../../adapters/ledger-table';
import {
  newJobId,
  type JobKind,
  type JobSummary,
  type OutageFacts,
  type ReplayMode,
  type Selection,
} from '../../domain/jobs/job-model';

export interface StartJobInput {
  kind: JobKind;
  selection: Selection;
  mode: ReplayMode;
  dryRun: boolean;
  budgetPerSecond: number;
  /** The zones whose homes make the job's parts. */
  zones: ReadonlyMap<string, readonly string[]>;
  /** The residency zone a selected id belongs to, where it can tell (a readable key names its source). */
  zoneOfId?: (id: string) => string | undefined;
  region?: string;
  outage?: OutageFacts;
  caller: string;
}

/**
 * Creates a job: its selected event ids go into each covered zone's ledger (they are keys), the
 * summary (counts and states only) into the control store, and the job onto the active list the
 * sweepers' runners read. It starts as STARTING; the first runner to pick up a part moves it on.
 */
export const startJob = async (
  input: StartJobInput,
  deps: { control: ControlJobs; ledger: Pick<LedgerTable, 'jobs'>; now: () => Date; newId: () => string },
): Promise<JobSummary> => {
  const now = deps.now();
  const jobId = newJobId(input.kind, now, deps.newId().replace(/-/g, ''));
  const { eventIds, ...rest } = input.selection;
  // The window is fixed when the job starts: events arriving later are not part of it.
  const selection = { ...rest, to: rest.to ?? now.toISOString() };
  // An id goes only into its own zone's ledger when it names its source: a key never leaves its zone.
  // Opaque ids (hashed keys, EventBridge ids) go to every covered zone. A zone left with none is done.
  if (eventIds)
    for (const zone of input.zones.keys()) {
      const ids = [...new Set(eventIds)].filter((id) => (input.zoneOfId?.(id) ?? zone) === zone);
      if (ids.length > 0) await deps.ledger.jobs.putSelection(zone, jobId, ids, now.toISOString());
    }
  const summary: JobSummary = {
    jobId,
    kind: input.kind,
    state: 'STARTING',
    mode: input.mode,
    dryRun: input.dryRun,
    selection: { ...selection, ...(eventIds ? { eventIdCount: new Set(eventIds).size } : {}) },
    budgetPerSecond: input.budgetPerSecond,
    parts: [...input.zones].flatMap(([zone, homes]) => homes.map((home) => ({ zone, home }))),
    ...(input.region ? { region: input.region } : {}),
    ...(input.outage ? { outage: input.outage } : {}),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    caller: input.caller,
  };
  await deps.control.putJob(summary);
  await deps.control.markActive(jobId, now.toISOString());
  return summary;
};
