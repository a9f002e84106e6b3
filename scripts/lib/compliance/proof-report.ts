/** Renders a residency proof as aligned text tables, one per zone and one per region, then every violation. */
import type { ResidencyProof, ZoneProof } from './residency-proof';

const table = (header: string[], rows: string[][]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

const verdict = (violations: readonly string[]): string =>
  violations.length === 0 ? 'OK' : `VIOLATION (${violations.length})`;

/** `inbox, ledger: us-east-1 → us-east-1 eu-west-1`, merging tables with the same owner and replicas. */
const tablesCell = (zone: ZoneProof): string => {
  const byPlacement = new Map<string, string[]>();
  for (const t of zone.tables) {
    const placement = `${t.stack} → ${t.replicas.join(' ')}`;
    byPlacement.set(placement, [...(byPlacement.get(placement) ?? []), t.logical]);
  }
  return [...byPlacement].map(([placement, logicals]) => `${logicals.join(', ')}: ${placement}`).join('; ') || '(none)';
};

/** `fulfilment@eu-west-1 …`, or why there is none. */
const busesCell = (zone: ZoneProof): string =>
  zone.buses.length > 0
    ? `${zone.buses.join(' ')}${zone.blocked > 0 ? ` (+${zone.blocked} outside the zone, refused by planDeliveries)` : ''}`
    : '(no source of the catalog)';

/** The whole report. */
export const renderProof = (proof: ResidencyProof): string => {
  const zones = table(
    ['zone', 'regions', 'tables: declared by → replicas', 'buses reachable (catalog)', 'verdict'],
    proof.zones.map((z) => [z.zone, z.regions.join(' '), tablesCell(z), busesCell(z), verdict(z.violations)]),
  );
  const regions = table(
    [
      'region',
      'zones',
      'route reads inboxes',
      'route / sweeper may PutEvents to',
      "other regions' tables (role)",
      'verdict',
    ],
    proof.regions.map((r) => [
      r.region,
      r.zones.join(' '),
      r.streams.join(' '),
      `${r.putEvents.route.join(' ')} / ${r.putEvents.sweeper.join(' ')}`,
      r.remoteTables.join('; ') || '(none)',
      verdict(r.violations),
    ]),
  );
  const catalog = `${proof.catalog.file}${proof.catalog.version !== undefined ? ` (version ${proof.catalog.version})` : ''}`;
  return [
    `Residency proof: stage ${proof.stage}, catalog ${catalog}`,
    '',
    'Zones (no zone data stored or delivered outside its regions)',
    zones,
    '',
    "Regions (regional tables, queues and logs hold only the region's data; coord holds no payload)",
    regions,
    '',
    `Catalog under the stage ceiling: ${proof.catalogViolations.length === 0 ? 'compiles' : 'REFUSED'}`,
    ...proof.catalogViolations.map((m) => `  - ${m}`),
    ...(proof.warnings.length > 0 ? ['', 'Warnings (not residency):', ...proof.warnings.map((w) => `  - ${w}`)] : []),
    '',
    proof.violations.length === 0
      ? 'PASS: no zone can store or deliver data outside its regions.'
      : `FAIL: ${proof.violations.length} violation(s)\n${proof.violations.map((v) => `  - ${v.scope} ${v.key}: ${v.message}`).join('\n')}`,
  ].join('\n');
};
