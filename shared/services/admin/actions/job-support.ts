import { z } from 'zod';
import { compileCatalog, type Catalog } from '../../../domain/catalog';
import { JobTransitionError, applyCommand, type JobCommand, type JobKind } from '../../../domain/jobs/job-model';
import { ROUTES_REGISTER } from '../../health/health-deps';
import { readJobStatus, type JobStatus } from '../../jobs/job-status';
import { AdminRequestError, type AdminDeps } from '../admin-deps';
import { readRegisterOrFail } from './quorum-registers';

/** An ISO-8601 instant such as 2026-11-30T12:00:00Z. */
export const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time such as 2026-11-30T12:00:00Z' });

/** A stage region name. */
export const regionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region such as eu-west-1');

/** A job id as `replay.start` and `reconcile.start` return it. */
export const jobId = z
  .string()
  .regex(/^r[pc]-\d{8}T\d{6}-[0-9a-f]{1,6}$/, 'must be a job id such as rp-20261130T120000-3fa9c2');

/** A window whose start is not after its end. */
export const windowIsOrdered = (r: { from?: string | undefined; to?: string | undefined }): boolean =>
  r.from === undefined || r.to === undefined || Date.parse(r.from) <= Date.parse(r.to);

/** The zones that hold a replica in this region: the only ones whose keys and payloads this call may read. */
export const localZones = (deps: AdminDeps): Map<string, readonly string[]> =>
  new Map([...deps.zones].filter(([, regions]) => regions.includes(deps.region)));

/** The active catalog, compiled; a typed error when none is active. */
export const activeCatalog = async (deps: AdminDeps): Promise<Catalog> => {
  const version = (await readRegisterOrFail(deps.quorum, ROUTES_REGISTER))?.value;
  if (typeof version !== 'number')
    throw new AdminRequestError('NoActiveCatalog', 'No routes catalog is active; publish and activate one first.');
  return compileCatalog(await deps.control.getCatalogDocument(version, { consistent: true }));
};

/** A job's status, or a typed error naming the job kind when there is none. */
export const statusOrFail = async (deps: AdminDeps, id: string, kind: JobKind): Promise<JobStatus> => {
  const status = await readJobStatus(deps.control, id);
  if (!status || status.kind !== kind)
    throw new AdminRequestError('JobNotFound', `there is no ${kind} job ${id}; list them with ${kind}.list`);
  return status;
};

/** Pauses, resumes or cancels a job; a command that does not apply to its state is a typed error. */
export const commandJob = async (
  deps: AdminDeps,
  id: string,
  kind: JobKind,
  command: JobCommand,
): Promise<{ jobId: string; previous: string; state: string }> => {
  const status = await statusOrFail(deps, id, kind);
  let next;
  try {
    next = applyCommand(status.state, command);
  } catch (error) {
    if (error instanceof JobTransitionError) throw new AdminRequestError('InvalidJobState', error.message);
    throw error;
  }
  const summary = await deps.control.getJob(id);
  const written = summary?.state ?? status.state;
  if (!(await deps.control.setJobState(id, next, [written], deps.now().toISOString())))
    throw new AdminRequestError('InvalidJobState', `job ${id} changed state meanwhile; look again with ${kind}.status`);
  if (next === 'RUNNING') await deps.control.markActive(id, deps.now().toISOString());
  return { jobId: id, previous: status.state, state: next };
};

/** A job in a list: its status with totals, without the per-part detail. */
export type JobListEntry = Omit<JobStatus, 'progress'> & { progress: Omit<JobStatus['progress'], 'parts'> };

/** The newest jobs of one kind, with their states and totals. */
export const listJobs = async (deps: AdminDeps, kind: JobKind, limit: number): Promise<{ jobs: JobListEntry[] }> => {
  const summaries = (await deps.control.listJobs(Math.min(1_000, limit * 5))).filter((s) => s.kind === kind);
  const statuses = await Promise.all(summaries.slice(0, limit).map((s) => readJobStatus(deps.control, s.jobId)));
  return {
    jobs: statuses.flatMap((s) => {
      if (!s) return [];
      const { parts: _parts, ...totals } = s.progress;
      return [{ ...s, progress: totals }];
    }),
  };
};
