import { z } from 'zod';
import { isFinished, type Breakdown, type JobState } from '../../../domain/jobs/job-model';
import { sourceOfKeyId } from '../../../domain/ingest/key-encoding';
import type { JobStatus } from '../../jobs/job-status';
import { startJob } from '../../jobs/start-job';
import { AdminRequestError, type AdminDeps } from '../admin-deps';
import { defineAction } from '../registry';
import {
  activeCatalog,
  commandJob,
  instant,
  jobId,
  listJobs,
  localZones,
  regionName,
  statusOrFail,
  windowIsOrdered,
} from './job-support';

const name = z.string().min(1).max(256);

const selection = z
  .strictObject({
    tenant: name.optional(),
    route: name.optional(),
    source: name.optional(),
    target: name.optional(),
    region: regionName.optional().describe('The region a delivery goes to.'),
    status: z.enum(['parked', 'delivered', 'waiting', 'missing', 'all']).optional(),
    from: instant.optional(),
    to: instant.optional(),
    eventIds: z
      .array(z.string().min(1).max(2048))
      .min(1)
      .max(1000)
      .optional()
      .describe('Switchyard keys (k1…, h1:…) or EventBridge event ids.'),
  })
  .refine(windowIsOrdered, { message: 'from must not be after to', path: ['from'] });

/** The dry run's answer: what the real run would send, counted before anything is sent. */
export interface ReplayDryRunResult {
  dryRun: true;
  jobId: string;
  state: JobState;
  /** False when the counting took longer than the admin call may wait; `replay.status` shows the rest. */
  complete: boolean;
  counts: { total: number } & Breakdown;
  skipped: number;
}

/** A started replay. */
export interface ReplayStartResult {
  jobId: string;
  state: JobState;
}

/** The residency of a readable key's source in the active catalog. */
const residencyOfKeys = async (deps: AdminDeps): Promise<(id: string) => string | undefined> => {
  const catalog = await activeCatalog(deps);
  const residency = new Map([...catalog.sources.values()].map((s) => [s.source, s.residency]));
  return (id) => {
    const source = sourceOfKeyId(id);
    return source === undefined ? undefined : residency.get(source);
  };
};

/** The zones a selection can reach: a source's or tenant's residency, and only this region's zones for ids. */
const zonesFor = async (request: z.infer<typeof selection>, deps: AdminDeps) => {
  let zones = new Map(deps.zones);
  if (request.eventIds) zones = localZones(deps);
  if (request.source !== undefined || request.tenant !== undefined) {
    const catalog = await activeCatalog(deps);
    const residencies = new Set(
      [...catalog.sources.values()]
        .filter((s) => (request.source ?? s.source) === s.source && (request.tenant ?? s.tenant) === s.tenant)
        .map((s) => s.residency),
    );
    zones = new Map([...zones].filter(([zone]) => residencies.has(zone)));
  }
  if (zones.size === 0)
    throw new AdminRequestError(
      'NothingSelected',
      request.eventIds
        ? `no zone of this selection has a replica in ${deps.region}; run it in a region of the events' zone so their keys never leave it`
        : 'the selection names no source of the active catalog',
    );
  return zones;
};

const dryRunResult = (status: JobStatus): ReplayDryRunResult => ({
  dryRun: true,
  jobId: status.jobId,
  state: status.state,
  complete: isFinished(status.state),
  counts: {
    total: Object.values(status.progress.byTenant).reduce((n, v) => n + v, 0),
    byTenant: status.progress.byTenant,
    byRoute: status.progress.byRoute,
    byTargetRegion: status.progress.byTargetRegion,
  },
  skipped: status.progress.skipped,
});

export const replayStart = defineAction({
  name: 'replay.start',
  description:
    'Starts a replay job (mode missing: what no owner delivered; force: deliver again), paced at budgetPerSecond PutEvents entries; --dry-run counts first.',
  mutates: true,
  request: z
    .strictObject({
      selection: selection.default({}),
      mode: z.enum(['missing', 'force']),
      dryRun: z.boolean().default(false),
      budgetPerSecond: z.number().int().min(1).max(10_000).default(50),
    })
    .refine((r) => !(r.mode === 'missing' && r.selection.status === 'delivered'), {
      message: 'mode missing never sends what is delivered; use mode force to deliver it again',
      path: ['selection', 'status'],
    }),
  auditDetails: (body) => {
    const chosen = (body.selection ?? {}) as Record<string, unknown>;
    const ids = Array.isArray(chosen.eventIds) ? chosen.eventIds.length : undefined;
    const { eventIds: _ids, ...rest } = chosen;
    return { ...body, selection: { ...rest, ...(ids !== undefined ? { eventIdCount: ids } : {}) } };
  },
  async run(request, deps, caller): Promise<ReplayDryRunResult | ReplayStartResult> {
    const zones = await zonesFor(request.selection, deps);
    const summary = await startJob(
      {
        kind: 'replay',
        selection: request.selection,
        mode: request.mode,
        dryRun: request.dryRun,
        budgetPerSecond: request.budgetPerSecond,
        zones,
        ...(request.selection.eventIds ? { zoneOfId: await residencyOfKeys(deps) } : {}),
        caller: caller.principal,
      },
      deps,
    );
    if (!request.dryRun) return { jobId: summary.jobId, state: summary.state };
    const deadline = deps.now().getTime() + deps.dryRunWaitMs;
    for (;;) {
      const status = await statusOrFail(deps, summary.jobId, 'replay');
      if (isFinished(status.state) || deps.now().getTime() >= deadline) return dryRunResult(status);
      await deps.sleep(250);
    }
  },
});

export const replayStatus = defineAction({
  name: 'replay.status',
  description: 'Shows a replay job: state, selection, budget, and progress per (zone, home) part.',
  mutates: false,
  request: z.strictObject({ jobId }),
  run: async (request, deps): Promise<JobStatus> => statusOrFail(deps, request.jobId, 'replay'),
});

export const replayList = defineAction({
  name: 'replay.list',
  description: 'Lists replay jobs, newest first, with their state and counts.',
  mutates: false,
  request: z.strictObject({ limit: z.number().int().min(1).max(100).default(20) }),
  run: (request, deps) => listJobs(deps, 'replay', request.limit),
});

const command = (verb: 'pause' | 'resume' | 'cancel', description: string) =>
  defineAction({
    name: `replay.${verb}`,
    description,
    mutates: true,
    request: z.strictObject({ jobId }),
    run: (request, deps) => commandJob(deps, request.jobId, 'replay', verb),
  });

export const replayPause = command('pause', 'Pauses a replay job; its parts keep their cursors.');
export const replayResume = command('resume', 'Resumes a paused replay job from its cursors.');
export const replayCancel = command('cancel', 'Cancels a replay job; nothing more is sent for it.');
