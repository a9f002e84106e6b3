import type { ControlJobs } from '../../adapters/control-jobs';
import {
  addBreakdowns,
  addCounts,
  deriveJobState,
  emptyBreakdown,
  zeroCounts,
  type Breakdown,
  type JobCounts,
  type JobState,
  type JobSummary,
  type PartProgress,
} from '../../domain/jobs/job-model';
import { addClassCounts } from '../../domain/reconcile/report';

/** A job as `replay.status` and `reconcile.status` show it. */
export interface JobStatus {
  jobId: string;
  kind: JobSummary['kind'];
  state: JobState;
  mode: JobSummary['mode'];
  dryRun: boolean;
  selection: JobSummary['selection'];
  budgetPerSecond: number;
  progress: JobCounts & Breakdown & { reasons: Record<string, number>; parts: PartProgress[] };
  region?: string;
  outage?: JobSummary['outage'];
  createdAt: string;
  updatedAt: string;
  caller: string;
}

/** The part of a job no runner has picked up yet. */
const pendingPart = (zone: string, home: string): PartProgress => ({
  zone,
  home,
  state: 'pending',
  ...zeroCounts(),
  breakdown: emptyBreakdown(),
  errors: 0,
});

/** Skipped and failed deliveries by reason, over every part. */
const sumReasons = (parts: readonly PartProgress[]): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const part of parts)
    for (const [reason, n] of Object.entries(part.reasons ?? {})) total[reason] = (total[reason] ?? 0) + n;
  return total;
};

/** Reads a job's summary and parts and adds them up; undefined for an unknown job. */
export const readJobStatus = async (control: ControlJobs, jobId: string): Promise<JobStatus | undefined> => {
  const summary = await control.getJob(jobId);
  if (!summary) return undefined;
  const written = new Map((await control.listParts(jobId)).map((p) => [`${p.zone}#${p.home}`, p]));
  const parts = summary.parts.map((p) => written.get(`${p.zone}#${p.home}`) ?? pendingPart(p.zone, p.home));
  const counts = parts.reduce<JobCounts>((total, p) => addCounts(total, p), zeroCounts());
  const latest = [summary.updatedAt, ...parts.map((p) => p.updatedAt ?? '')].sort().pop() ?? summary.updatedAt;
  return {
    jobId,
    kind: summary.kind,
    state: deriveJobState(summary.state, parts),
    mode: summary.mode,
    dryRun: summary.dryRun,
    selection: summary.selection,
    budgetPerSecond: summary.budgetPerSecond,
    progress: { ...counts, ...addBreakdowns(parts.map((p) => p.breakdown)), reasons: sumReasons(parts), parts },
    ...(summary.region ? { region: summary.region } : {}),
    ...(summary.outage ? { outage: summary.outage } : {}),
    createdAt: summary.createdAt,
    updatedAt: latest,
    caller: summary.caller,
  };
};

/** Reconcile's class counts over every part. */
export const classCountsOf = (status: JobStatus) =>
  addClassCounts(status.progress.parts.flatMap((p) => (p.classes ? [p.classes] : [])));
