/** An event as EventBridge matches it and hands it to targets, keys in AWS's order. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** The facts of one accepted PutEvents entry. */
export interface EnvelopeParts {
  id: string;
  detailType: string;
  source: string;
  accountId: string;
  time: Date;
  region: string;
  resources: readonly string[];
  detail: Record<string, unknown>;
}

/** Builds the envelope; the literal keeps AWS's key order, which JSON consumers may diff on. */
export const buildEnvelope = (parts: EnvelopeParts): EventEnvelope => ({
  version: '0',
  id: parts.id,
  'detail-type': parts.detailType,
  source: parts.source,
  account: parts.accountId,
  time: formatEventTime(parts.time),
  region: parts.region,
  resources: [...parts.resources],
  detail: parts.detail,
});

/** AWS's event time: UTC ISO-8601 truncated to the second, e.g. `2026-01-01T00:00:00Z`. */
export const formatEventTime = (time: Date): string => `${time.toISOString().slice(0, 19)}Z`;
