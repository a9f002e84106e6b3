import { DELIVERY_CLASSES, type DeliveryClass } from './classify-deliveries';
import { totalOf, type ReconcileReport, type ReportRow } from './report';

/** Escapes text for HTML element content and double-quoted attributes. */
export const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const COLOURS: Record<DeliveryClass, string> = {
  'delivered-once': '#2e7d32',
  'delivered-more-than-once': '#f9a825',
  missing: '#c62828',
  parked: '#6a1b9a',
  waiting: '#1565c0',
  'residency-blocked': '#424242',
  'never-replicated': '#ef6c00',
};

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#212121}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:flex;height:14px;min-width:2px;width:var(--w)}.bar span{display:block;height:100%}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
.ok{color:#2e7d32}.todo{color:#c62828}code{font-size:12px}`;

/** A stacked bar of class counts, as wide as its share of the largest row. */
const bar = (counts: Record<string, number>, widest: number): string => {
  const total = totalOf(counts);
  const width = widest > 0 ? Math.max(1, Math.round((total / widest) * 100)) : 0;
  const segments = DELIVERY_CLASSES.filter((c) => (counts[c] ?? 0) > 0)
    .map(
      (c) =>
        `<span style="width:${(((counts[c] ?? 0) / total) * 100).toFixed(2)}%;background:${COLOURS[c]}" title="${c}: ${counts[c] ?? 0}"></span>`,
    )
    .join('');
  return `<div class="bar" style="--w:${width}%">${segments}</div>`;
};

const breakdown = (title: string, map: Record<string, Record<string, number>>): string => {
  const entries = Object.entries(map).sort(([a], [b]) => a.localeCompare(b));
  const widest = Math.max(0, ...entries.map(([, counts]) => totalOf(counts)));
  const rows = entries
    .map(
      ([key, counts]) =>
        `<tr><th>${escapeHtml(key)}</th><td class="n">${totalOf(counts)}</td><td style="width:50ch">${bar(counts, widest)}</td></tr>`,
    )
    .join('');
  return `<h2>By ${title}</h2><table><tr><th>${title}</th><th>deliveries</th><th>classes</th></tr>${rows}</table>`;
};

const copies = (row: ReportRow): string =>
  row.copies
    .map(
      (c) =>
        `${escapeHtml(c.owner)} epoch ${c.epoch}: ${escapeHtml(c.status)}${c.deliveredAt ? ` at ${escapeHtml(c.deliveredAt)}` : ''}` +
        `${c.attempts > 1 ? ` (${c.attempts} attempts)` : ''}`,
    )
    .join('<br>') || '-';

const rowsTable = (rows: readonly ReportRow[]): string =>
  rows.length === 0
    ? '<p class="ok">No delivery to list: every planned delivery was delivered exactly once.</p>'
    : `<table><tr><th>class</th><th>event</th><th>source</th><th>delivery</th><th>copies</th><th>reason / action</th></tr>${rows
        .map(
          (r) =>
            `<tr><td style="color:${COLOURS[r.class]}">${escapeHtml(r.class)}${r.state ? ` (${escapeHtml(r.state)})` : ''}</td>` +
            `<td><code>${escapeHtml(r.eventId)}</code><br><small>${escapeHtml(r.receivedAt)}</small></td>` +
            `<td>${escapeHtml(r.source)}<br><small>${escapeHtml(r.tenant)}</small></td>` +
            `<td>${escapeHtml(r.to)} &rarr; ${escapeHtml(r.region)}</td><td>${copies(r)}</td>` +
            `<td>${escapeHtml([r.reason, r.action].filter(Boolean).join('; ') || '-')}</td></tr>`,
        )
        .join('')}</table>`;

/** A self-contained page (inline CSS, no script, nothing fetched): counts per class, tenant and region as bars, then the rows. */
export const renderReportHtml = (report: ReconcileReport): string => {
  const total = totalOf(report.counts.byClass);
  const classRows = DELIVERY_CLASSES.map(
    (c) =>
      `<tr><th><span style="color:${COLOURS[c]}">&#9632;</span> ${c}</th><td class="n">${report.counts.byClass[c] ?? 0}</td>` +
      `<td style="width:50ch">${bar({ [c]: report.counts.byClass[c] ?? 0 }, total)}</td></tr>`,
  ).join('');
  const todo = report.counts.toDo;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Reconcile ${escapeHtml(report.reportId)}</title><style>${CSS}</style></head><body>
<h1>Reconcile ${escapeHtml(report.reportId)} of ${escapeHtml(report.region)}</h1>
<p>State <b>${escapeHtml(report.state)}</b>. Window ${escapeHtml(report.window.from)} to ${escapeHtml(report.window.to)}${
    report.takeoverAt ? `, takeover at ${escapeHtml(report.takeoverAt)}` : ''
  }. Generated ${escapeHtml(report.generatedAt)}.</p>
<p class="${todo === 0 ? 'ok' : 'todo'}">${total} planned deliveries; ${
    todo === 0 ? 'nothing to do' : `${todo} missing, ${report.counts.deliveredNow} delivered now`
  }.</p>
<h2>By class</h2><table><tr><th>class</th><th>deliveries</th><th></th></tr>${classRows}</table>
${breakdown('tenant', report.counts.byTenant)}
${breakdown('region', report.counts.byRegion)}
<h2>Deliveries</h2>${rowsTable(report.rows)}
${report.rowsTruncatedAt ? `<p>Listed the first ${report.rowsTruncatedAt} deliveries only (the counts above cover all); reconcile a shorter window to list the rest.</p>` : ''}
${report.elsewhere
  .map(
    (z) =>
      `<p>Zone ${escapeHtml(z.zone)}: its rows stay in ${escapeHtml(z.regions.join(', '))}; ask the admin function there.</p>`,
  )
  .join('\n')}
</body></html>
`;
};
