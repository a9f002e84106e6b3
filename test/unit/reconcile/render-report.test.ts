import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../shared/domain/reconcile/render-report-html';
import { renderReport } from '../../../shared/domain/reconcile/render-report';
import { emptyClassCounts, type ReconcileReport, type ReportRow } from '../../../shared/domain/reconcile/report';

const HOSTILE = '<script>alert("x")</script>&\'';

const reportRow = (overrides: Partial<ReportRow> = {}): ReportRow => ({
  zone: 'global',
  home: 'us-east-1',
  id: 'k1["com.switchyard.orders","s:o-1"]',
  eventId: 'eb-1',
  keyDigest: 'abc',
  source: 'com.switchyard.orders',
  tenant: 'orders',
  receivedAt: '2026-11-30T11:00:00.000Z',
  to: 'fulfilment#local',
  target: 'fulfilment',
  region: 'us-east-1',
  class: 'delivered-more-than-once',
  copies: [
    { owner: 'us-east-1', epoch: 1, status: 'delivered', attempts: 1, redeliveries: 0, region: 'us-east-1' },
    { owner: 'eu-west-1', epoch: 2, status: 'delivered', attempts: 1, redeliveries: 0, region: 'us-east-1' },
  ],
  ...overrides,
});

const report = (rows: ReportRow[], toDo = 0): ReconcileReport => {
  const counts = emptyClassCounts();
  counts.byClass = { 'delivered-once': 8, 'delivered-more-than-once': 1, missing: toDo };
  counts.byTenant = { orders: counts.byClass };
  counts.byRegion = { 'us-east-1': counts.byClass };
  counts.toDo = toDo;
  counts.deliveredNow = toDo;
  return {
    reportId: 'rc-20261130T120000-abcdef',
    region: 'us-east-1',
    window: { from: '2026-11-30T10:55:00.000Z', to: '2026-11-30T12:00:00.000Z' },
    takeoverAt: '2026-11-30T11:00:05.000Z',
    state: 'COMPLETED',
    generatedAt: '2026-11-30T12:00:01.000Z',
    counts,
    rows,
    elsewhere: [],
  };
};

describe('reconcile report rendering', () => {
  it('lists every repeat with both copies and their epochs in the table', () => {
    // Act
    const text = renderReport(report([reportRow()]), 'table');
    // Assess
    expect(text).toContain('delivered-more-than-once');
    expect(text).toContain('us-east-1:e1 delivered; eu-west-1:e2 delivered');
    expect(text).toContain('nothing to do');
  });

  it('says when it lists only the first rows, in the table, the page and the JSON', () => {
    // Prepare
    const cut = { ...report([reportRow()]), rowsTruncatedAt: 5_000 };
    // Act
    const text = renderReport(cut, 'table');
    const html = renderReport(cut, 'html');
    const json = JSON.parse(renderReport(cut, 'json')) as ReconcileReport;
    // Assess
    expect(text).toContain('listed the first 5000 deliveries only');
    expect(html).toContain('Listed the first 5000 deliveries only');
    expect(json.rowsTruncatedAt).toBe(5_000);
    expect(renderReport(report([reportRow()]), 'table')).not.toContain('listed the first');
  });

  it('says how much was missing and delivered now', () => {
    expect(renderReport(report([], 3), 'table')).toContain('3 missing, 3 delivered now');
  });

  it('escapes hostile strings everywhere in the HTML page', () => {
    // Prepare: an event id, source, tenant and reason chosen to break out of the markup.
    const hostile = reportRow({ eventId: HOSTILE, source: HOSTILE, reason: HOSTILE, tenant: HOSTILE });
    const page = report([hostile]);
    page.counts.byTenant = { [HOSTILE]: { missing: 1 } };
    // Act
    const html = renderReport(page, 'html');
    // Assess
    expect(html).not.toContain('<script>');
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(escapeHtml(HOSTILE)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  it('is a self-contained page: inline style, no script, nothing fetched from the network', () => {
    const html = renderReport(report([reportRow()]), 'html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
    expect(html).toContain('class="bar"');
  });

  it('escapes control characters in the plain-text table', () => {
    const text = renderReport(report([reportRow({ eventId: 'a\nb\u001b[31m' })]), 'table');
    expect(text).toContain('a\\nb\\u001b[31m');
  });

  it('round-trips as JSON', () => {
    const original = report([reportRow()]);
    expect(JSON.parse(renderReport(original, 'json'))).toEqual(original);
  });
});
