import { DELIVERY_CLASSES } from './classify-deliveries';
import type { ReconcileReport, ReportRow } from './report';
import { totalOf } from './report';
import { renderReportHtml } from './render-report-html';

/** The formats `reconcile.report` answers in. */
export type ReportFormat = 'json' | 'table' | 'html';

/** Renders a report as JSON, a plain-text table, or a self-contained HTML page. */
export const renderReport = (report: ReconcileReport, format: ReportFormat): string => {
  if (format === 'json') return JSON.stringify(report, null, 2);
  if (format === 'html') return renderReportHtml(report);
  return renderReportTable(report);
};

/** Lays out rows of cells in aligned columns. */
export const formatColumns = (rows: readonly (readonly string[])[]): string => {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

/** One copy as `owner:epoch status@time (n attempts)`. */
const copyText = (row: ReportRow): string =>
  row.copies
    .map(
      (c) =>
        `${c.owner}:e${c.epoch} ${c.status}${c.deliveredAt ? `@${c.deliveredAt}` : ''}` +
        `${c.attempts > 1 ? ` (${c.attempts} attempts${c.redeliveries ? `, ${c.redeliveries} repeated` : ''})` : ''}`,
    )
    .join('; ') || '-';

/** Control characters and line breaks would break a terminal table: shown escaped. */
const cell = (text: string | undefined): string => JSON.stringify(text ?? '-').slice(1, -1);

const summaryLines = (report: ReconcileReport): string[] => {
  const total = totalOf(report.counts.byClass);
  const todo = report.counts.toDo;
  return [
    `reconcile ${report.reportId} of ${report.region}: ${report.state}`,
    `window ${report.window.from} .. ${report.window.to}${report.takeoverAt ? ` (takeover at ${report.takeoverAt})` : ''}`,
    `${total} planned deliveries; ${todo === 0 ? 'nothing to do' : `${todo} missing, ${report.counts.deliveredNow} delivered now`}`,
  ];
};

/** The plain-text form: summary, counts per class, per tenant and per region, then the listed deliveries. */
export const renderReportTable = (report: ReconcileReport): string => {
  const classes = DELIVERY_CLASSES.filter((c) => (report.counts.byClass[c] ?? 0) > 0);
  const matrix = (title: string, map: Record<string, Record<string, number>>): string =>
    formatColumns([
      [title, ...classes],
      ...Object.entries(map)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, counts]) => [cell(key), ...classes.map((c) => String(counts[c] ?? 0))]),
    ]);
  const rows = formatColumns([
    ['class', 'event', 'source', 'delivery', 'copies (owner:epoch)', 'reason / action'],
    ...report.rows.map((r) => [
      r.state ? `${r.class} (${r.state})` : r.class,
      cell(r.eventId),
      cell(r.source),
      cell(`${r.to} -> ${r.region}`),
      cell(copyText(r)),
      cell(
        [
          r.reason,
          r.action && `${r.action}${r.deliveredBy ? ` by ${r.deliveredBy.owner}:e${r.deliveredBy.epoch}` : ''}`,
        ]
          .filter(Boolean)
          .join('; '),
      ),
    ]),
  ]);
  return [
    ...summaryLines(report),
    '',
    formatColumns([['class', 'deliveries'], ...classes.map((c) => [c, String(report.counts.byClass[c] ?? 0)])]),
    '',
    matrix('tenant', report.counts.byTenant),
    '',
    matrix('region', report.counts.byRegion),
    '',
    report.rows.length === 0 ? 'no delivery to list (every planned delivery was delivered exactly once)' : rows,
    ...(report.rowsTruncatedAt
      ? [
          `listed the first ${report.rowsTruncatedAt} deliveries only (the counts above cover all); reconcile a shorter window to list the rest`,
        ]
      : []),
    ...report.elsewhere.map(
      (z) => `zone ${z.zone}: its rows stay in ${z.regions.join(', ')}; ask the admin function there to list them`,
    ),
    '',
  ].join('\n');
};
