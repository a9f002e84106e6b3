import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import type { SideFigures } from './figures';

/** One table row: a figure for each side, and how to read the ratio. */
interface Row {
  metric: string;
  switchyard: string;
  baseline: string;
  ratio: string;
}

type NumericFigure = Exclude<
  keyof SideFigures,
  'events' | 'expectedDeliveries' | 'writesByTable' | 'failureSamples' | 'ingestLatencyP50Ms' | 'ingestLatencyP99Ms'
>;

/** The compared figures, in print order; `better` says which way a ratio is good. */
const COMPARED: ReadonlyArray<{ metric: string; key: NumericFigure; better: 'lower' | 'higher' }> = [
  { metric: 'deliveries (arrived)', key: 'deliveries', better: 'higher' },
  { metric: 'duplicate deliveries', key: 'duplicateDeliveries', better: 'lower' },
  { metric: 'DynamoDB writes / delivered event', key: 'dynamodbWritesPerDelivery', better: 'lower' },
  { metric: 'consumed WCU / delivered event', key: 'wcuPerDelivery', better: 'lower' },
  {
    metric: 'replica writes / delivered event (global tables, unmetered)',
    key: 'replicaWritesPerDelivery',
    better: 'lower',
  },
  { metric: 'PutEvents calls / delivered event', key: 'putEventsCallsPerDelivery', better: 'lower' },
  { metric: 'entries / PutEvents call', key: 'entriesPerPutEventsCall', better: 'higher' },
  { metric: 'end-to-end latency p50 (ms)', key: 'latencyP50Ms', better: 'lower' },
  { metric: 'end-to-end latency p99 (ms)', key: 'latencyP99Ms', better: 'lower' },
  { metric: 'throughput (deliveries/s)', key: 'throughputPerSecond', better: 'higher' },
  { metric: 'failed invocations (retried)', key: 'failedInvocations', better: 'lower' },
];

/** Figures the design lists that have nothing to measure yet: printed as such, never invented. */
export const NOT_BUILT = ['failover detection time', 'replay throughput'] as const;

/** How to read the figures: printed under the table and saved with the results. */
export const NOTES: readonly string[] = [
  'ratio = switchyard ÷ baseline; both sides ran the same events, one after the other, in this process and on this local cloud.',
  "latency = publish → receivedAt on the target bus. Switchyard: stamped before the producer's PutEvents to the ingress bus. Baseline: the event arrives on Switchyard's publish schedule and waits for a free invocation slot; that wait counts.",
  'WCU includes index writes: the inbox and ledger have GSIs, the idempotency table has none.',
  'replica writes: what the global-table replicator wrote into the other regions; on AWS each is a replicated WCU. The baseline table is regional.',
  'The baseline runs in-process (no ingress bus hop, no Lambda worker thread); Switchyard runs through the local EventBridge and Lambda runtime.',
];

/** switchyard ÷ baseline; undefined when the baseline is zero (nothing to divide by). */
export const ratioOf = (switchyard: number, baseline: number): number | undefined =>
  baseline === 0 ? undefined : Math.round((switchyard / baseline) * 100) / 100;

const comparedRow = (s: SideFigures, b: SideFigures, { metric, key, better }: (typeof COMPARED)[number]): Row => {
  const ratio = ratioOf(s[key], b[key]);
  return {
    metric,
    switchyard: String(s[key]),
    baseline: String(b[key]),
    ratio: ratio === undefined ? '—' : `×${ratio} (${better} is better)`,
  };
};

/** Switchyard's first hop, shown under its end-to-end latency: the baseline has no inbox to split at. */
const ingestRows = (s: SideFigures): Row[] => [
  {
    metric: '  of which publish → stored in inbox p50 (ms)',
    switchyard: String(s.ingestLatencyP50Ms ?? 'n/a'),
    baseline: 'n/a',
    ratio: '—',
  },
  {
    metric: '  of which publish → stored in inbox p99 (ms)',
    switchyard: String(s.ingestLatencyP99Ms ?? 'n/a'),
    baseline: 'n/a',
    ratio: '—',
  },
];

const rows = (s: SideFigures, b: SideFigures): Row[] => [
  { metric: 'events published', switchyard: String(s.events), baseline: String(b.events), ratio: '' },
  {
    metric: 'deliveries expected',
    switchyard: String(s.expectedDeliveries),
    baseline: String(b.expectedDeliveries),
    ratio: '',
  },
  ...COMPARED.flatMap((figure) => [comparedRow(s, b, figure), ...(figure.key === 'latencyP99Ms' ? ingestRows(s) : [])]),
  ...NOT_BUILT.map((metric) => ({ metric, switchyard: 'n/a (not built yet)', baseline: 'n/a', ratio: '—' })),
];

/** The comparison as a plain-text table: metric | switchyard | baseline | ratio (switchyard ÷ baseline). */
export const formatTable = (s: SideFigures, b: SideFigures): string => {
  const all: Row[] = [
    { metric: 'metric', switchyard: 'switchyard', baseline: 'baseline', ratio: 'ratio (switchyard ÷ baseline)' },
    ...rows(s, b),
  ];
  const width = (k: keyof Row): number => Math.max(...all.map((r) => r[k].length));
  const line = (r: Row): string =>
    `| ${r.metric.padEnd(width('metric'))} | ${r.switchyard.padStart(width('switchyard'))} | ${r.baseline.padStart(width('baseline'))} | ${r.ratio.padEnd(width('ratio'))} |`;
  const rule = `|${['metric', 'switchyard', 'baseline', 'ratio'].map((k) => '-'.repeat(width(k as keyof Row) + 2)).join('|')}|`;
  const [header, ...body] = all;
  return [line(header as Row), rule, ...body.map(line), '', ...NOTES.map((n) => `* ${n}`)].join('\n');
};

/** The machine-readable results: both sides, the ratios, and the run's context. */
export const resultsDocument = (
  s: SideFigures,
  b: SideFigures,
  context: Record<string, unknown>,
): Record<string, unknown> => ({
  generatedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version },
  ...context,
  switchyard: s,
  baseline: b,
  ratios: Object.fromEntries(COMPARED.map(({ key }) => [key, ratioOf(s[key], b[key]) ?? null])),
  notBuilt: Object.fromEntries(NOT_BUILT.map((m) => [m, 'n/a (not built yet)'])),
  notes: NOTES,
});

/** Writes the results document, creating its folder. */
export const writeResults = (path: string, document: Record<string, unknown>): void => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
};
