import { z } from 'zod';
import type { ClassCounts, JobState, OutageFacts } from '../../../domain/jobs/job-model';
import { renderReport, type ReportFormat } from '../../../domain/reconcile/render-report';
import type { ReconcileReport, ReportRow } from '../../../domain/reconcile/report';
import { classCountsOf, type JobStatus } from '../../jobs/job-status';
import { findOutage } from '../../jobs/find-outage';
import { startJob } from '../../jobs/start-job';
import { AdminRequestError, type AdminDeps } from '../admin-deps';
import { defineAction } from '../registry';
import {
  commandJob,
  instant,
  jobId,
  listJobs,
  localZones,
  regionName,
  statusOrFail,
  windowIsOrdered,
} from './job-support';

/** How far before the takeover a reconcile window starts: the failed region accepted events until it died. */
const BEFORE_TAKEOVER_MS = 5 * 60_000;
/** Rows a report lists at most (counts cover everything). */
const MAX_REPORT_ROWS = 5_000;

/** A started reconcile. */
export interface ReconcileStartResult {
  reportId: string;
  state: JobState;
  window: { from: string; to: string };
  outage?: OutageFacts;
}

/** The window to reconcile: the one given, else the region's last outage (from a little before its takeover until now). */
const windowFor = async (request: { region: string; from?: string; to?: string }, deps: AdminDeps) => {
  const zones = [...deps.zones].filter(([, regions]) => regions.includes(request.region)).map(([zone]) => zone);
  const outage = await findOutage(deps.control, zones, request.region);
  if (request.from === undefined && !outage)
    throw new AdminRequestError(
      'NoOutage',
      `no outage of ${request.region} is recorded; give the window with from (and to)`,
    );
  const now = deps.now().toISOString();
  const from = new Date(request.from ?? Date.parse(outage?.takeoverAt ?? now) - BEFORE_TAKEOVER_MS).toISOString();
  const to = new Date(request.to ?? now).toISOString();
  const applies = outage !== undefined && outage.takeoverAt >= from && outage.takeoverAt <= to;
  return { from, to, ...(applies ? { outage } : {}) };
};

export const reconcileStart = defineAction({
  name: 'reconcile.start',
  description:
    "Reconciles a region's window (default: its last outage): classifies every planned delivery, delivers what is missing, stores a report.",
  mutates: true,
  request: z
    .strictObject({
      region: regionName,
      from: instant.optional(),
      to: instant.optional(),
      budgetPerSecond: z.number().int().min(1).max(10_000).default(50),
    })
    .refine(windowIsOrdered, { message: 'from must not be after to', path: ['from'] }),
  async run(request, deps, caller): Promise<ReconcileStartResult> {
    if (!deps.regions.includes(request.region))
      throw new AdminRequestError(
        'UnknownRegion',
        `${request.region} is not a region of stage ${deps.stage} (${deps.regions.join(', ')}).`,
      );
    const window = await windowFor(request, deps);
    const zones = new Map([...deps.zones].filter(([, regions]) => regions.includes(request.region)));
    const summary = await startJob(
      {
        kind: 'reconcile',
        selection: { from: window.from, to: window.to },
        mode: 'missing',
        dryRun: false,
        budgetPerSecond: request.budgetPerSecond,
        zones,
        region: request.region,
        ...(window.outage ? { outage: window.outage } : {}),
        caller: caller.principal,
      },
      deps,
    );
    return {
      reportId: summary.jobId,
      state: summary.state,
      window: { from: window.from, to: window.to },
      ...(window.outage ? { outage: window.outage } : {}),
    };
  },
});

export const reconcileStatus = defineAction({
  name: 'reconcile.status',
  description: 'Shows a reconcile job: state, window, progress per part and counts per class.',
  mutates: false,
  request: z.strictObject({ reportId: jobId }),
  async run(request, deps): Promise<JobStatus & { classes: ClassCounts }> {
    const status = await statusOrFail(deps, request.reportId, 'reconcile');
    return { ...status, classes: classCountsOf(status) };
  },
});

export const reconcileList = defineAction({
  name: 'reconcile.list',
  description: 'Lists reconcile jobs, newest first.',
  mutates: false,
  request: z.strictObject({ limit: z.number().int().min(1).max(100).default(20) }),
  run: (request, deps) => listJobs(deps, 'reconcile', request.limit),
});

export const reconcileCancel = defineAction({
  name: 'reconcile.cancel',
  description: 'Cancels a reconcile job; what it found so far stays in its report.',
  mutates: true,
  request: z.strictObject({ reportId: jobId }),
  run: (request, deps) => commandJob(deps, request.reportId, 'reconcile', 'cancel'),
});

/** Reads the report's rows from every zone this region holds; other zones are named, their keys stay there. */
const reportRows = async (
  deps: AdminDeps,
  status: JobStatus,
): Promise<{ rows: ReportRow[]; elsewhere: ReconcileReport['elsewhere']; truncated: boolean }> => {
  const local = localZones(deps);
  const zones = [...new Set(status.progress.parts.map((p) => p.zone))];
  const rows: ReportRow[] = [];
  let truncated = false;
  for (const zone of zones.filter((z) => local.has(z))) {
    let page: string | undefined;
    do {
      const out = await deps.ledger.jobs.reportRows(zone, status.jobId, 500, page);
      rows.push(...out.items);
      truncated = truncated || (rows.length >= MAX_REPORT_ROWS && out.next !== undefined);
      page = rows.length < MAX_REPORT_ROWS ? out.next : undefined;
    } while (page);
  }
  const elsewhere = zones
    .filter((z) => !local.has(z))
    .map((zone) => ({ zone, regions: [...(deps.zones.get(zone) ?? [])] }));
  rows.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.to.localeCompare(b.to));
  return { rows: rows.slice(0, MAX_REPORT_ROWS), elsewhere, truncated: truncated || rows.length > MAX_REPORT_ROWS };
};

export const reconcileReport = defineAction({
  name: 'reconcile.report',
  description: 'Renders a reconcile report as a table, JSON, or a self-contained HTML page.',
  mutates: false,
  request: z.strictObject({ reportId: jobId, format: z.enum(['json', 'table', 'html']).default('table') }),
  async run(request, deps): Promise<{ format: ReportFormat; body: string }> {
    const status = await statusOrFail(deps, request.reportId, 'reconcile');
    const { rows, elsewhere, truncated } = await reportRows(deps, status);
    const report: ReconcileReport = {
      reportId: status.jobId,
      region: status.region ?? '?',
      window: { from: status.selection.from ?? '', to: status.selection.to ?? '' },
      ...(status.outage ? { takeoverAt: status.outage.takeoverAt } : {}),
      state: status.state,
      generatedAt: deps.now().toISOString(),
      counts: classCountsOf(status),
      rows,
      ...(truncated ? { rowsTruncatedAt: MAX_REPORT_ROWS } : {}),
      elsewhere,
    };
    return { format: request.format, body: renderReport(report, request.format) };
  },
});
