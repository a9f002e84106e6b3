import type { FunctionLogLine } from '../lambda/lambda-runtime';

/** The counters `npm start` shows per region. */
export const STATUS_METRICS = [
  'Ingested',
  'DuplicateDropped',
  'Routed',
  'Delivered',
  'Parked',
  'Quarantined',
  'DuplicateDetected',
  'Redelivered',
] as const;

/**
 * Sums the Powertools EMF metrics the functions print, per region: the same numbers CloudWatch
 * would show, read from the same log lines.
 */
export class MetricsTally {
  private readonly totals = new Map<string, Map<string, number>>();

  /** Feeds one function log line; lines that are not EMF are ignored. */
  readonly observe = (line: FunctionLogLine): void => {
    if (!line.line.includes('"_aws"')) return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line.line) as Record<string, unknown>;
    } catch {
      return;
    }
    const directives =
      (record._aws as { CloudWatchMetrics?: Array<{ Metrics?: Array<{ Name: string }> }> } | undefined)
        ?.CloudWatchMetrics ?? [];
    for (const metric of directives.flatMap((d) => d.Metrics ?? [])) {
      const raw = record[metric.Name];
      const value = Array.isArray(raw) ? raw.reduce((a: number, b) => a + Number(b), 0) : Number(raw);
      if (Number.isFinite(value)) this.add(line.region, metric.Name, value);
    }
  };

  add(region: string, metric: string, value: number): void {
    const regional = this.totals.get(region) ?? new Map<string, number>();
    regional.set(metric, (regional.get(metric) ?? 0) + value);
    this.totals.set(region, regional);
  }

  get(region: string, metric: string): number {
    return this.totals.get(region)?.get(metric) ?? 0;
  }

  /** Totals per region for every metric seen. */
  snapshot(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.totals].map(([region, metrics]) => [region, Object.fromEntries(metrics)]));
  }
}
