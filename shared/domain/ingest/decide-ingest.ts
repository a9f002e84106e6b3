import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import type { Catalog } from '../catalog';
import { buildOutboundEntry } from '../delivery/outbound-entry';
import { entrySize } from './event-size';
import { deriveIdempotencyKey } from './idempotency-key';
import type { InboxItem, IngressEvent, QuarantineItem, QuarantineReason } from './ingress-event';

export interface IngestContext {
  catalog: Catalog;
  region: string;
  now: Date;
  /** Id for a quarantine item, passed in so the decision stays deterministic. */
  quarantineId: string;
  maxEventBytes: number;
  retentionDays: number;
}

export type IngestDecision = { kind: 'store'; item: InboxItem } | { kind: 'quarantine'; item: QuarantineItem };

const MAX_QUARANTINED_EVENT_CHARS = 300_000;
/** An attempt number wide enough that `switchyard:attempt:<n>` never outgrows what ingest checked. */
const ATTEMPT_RESERVE = 999_999;

/** Decides what ingest does with one event: store it in the inbox, or quarantine it with a reason. */
export const decideIngest = (raw: unknown, ctx: IngestContext): IngestDecision => {
  const parsed = EventBridgeSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return quarantine(
      raw,
      ctx,
      'invalid-envelope',
      `not an EventBridge event: ${first?.path.join('.') ?? ''} ${first?.message ?? ''}`.trim(),
    );
  }
  const event = parsed.data as IngressEvent;
  const rejection = checkEvent(event, ctx);
  if (rejection) return quarantine(raw, ctx, rejection.reason, rejection.message, event);
  const policy = ctx.catalog.sources.get(event.source);
  const key = policy && deriveIdempotencyKey(event as unknown as Record<string, unknown> & IngressEvent, policy);
  if (!policy || !key)
    return quarantine(
      raw,
      ctx,
      'unknown-source',
      `source ${event.source} is not declared in routes version ${ctx.catalog.version}`,
      event,
    );
  if (!key.ok) return quarantine(raw, ctx, 'missing-key', key.message, event);
  const item = toInboxItem(event, key.id, policy.tenant, policy.residency, ctx);
  const deliveredSize = buildOutboundEntry(item, '', ATTEMPT_RESERVE).size;
  if (deliveredSize > ctx.maxEventBytes) {
    return quarantine(
      raw,
      ctx,
      'oversized',
      `event is ${deliveredSize} bytes with the trace resources delivery adds, over the ${ctx.maxEventBytes}-byte limit`,
      event,
    );
  }
  return { kind: 'store', item };
};

const checkEvent = (
  event: IngressEvent,
  ctx: IngestContext,
): { reason: QuarantineReason; message: string } | undefined => {
  if (event.detail === null || typeof event.detail !== 'object' || Array.isArray(event.detail)) {
    return {
      reason: 'detail-not-object',
      message: `detail must be a JSON object, got ${Array.isArray(event.detail) ? 'an array' : typeof event.detail}`,
    };
  }
  const size = entrySize({
    source: event.source,
    detailType: event['detail-type'],
    detail: JSON.stringify(event.detail),
    resources: event.resources,
    hasTime: true,
  });
  if (size > ctx.maxEventBytes)
    return { reason: 'oversized', message: `event is ${size} bytes, over the ${ctx.maxEventBytes}-byte limit` };
  const policy = ctx.catalog.sources.get(event.source);
  if (!policy)
    return {
      reason: 'unknown-source',
      message: `source ${event.source} is not declared in routes version ${ctx.catalog.version}`,
    };
  const tenantClaim = (event.detail as Record<string, unknown>).tenant;
  if (tenantClaim !== undefined && tenantClaim !== policy.tenant) {
    return {
      reason: 'unknown-tenant',
      message: `detail.tenant ${JSON.stringify(tenantClaim)} is not the tenant that owns ${event.source}`,
    };
  }
  const zone = ctx.catalog.zones.get(policy.residency) ?? [];
  if (!zone.includes(ctx.region)) {
    return {
      reason: 'outside-residency',
      message: `source ${event.source} is resident in zone ${policy.residency} (${zone.join(', ')}), not ${ctx.region}`,
    };
  }
  return undefined;
};

const expiry = (now: Date, retentionDays: number): number => Math.floor(now.getTime() / 1000) + retentionDays * 86_400;

const toInboxItem = (
  event: IngressEvent,
  id: string,
  tenant: string,
  residency: string,
  ctx: IngestContext,
): InboxItem => ({
  id,
  eventId: event.id,
  source: event.source,
  detailType: event['detail-type'],
  detail: JSON.stringify(event.detail),
  resources: event.resources,
  time: event.time,
  account: event.account,
  home: ctx.region,
  owner: ctx.region,
  receivedAt: ctx.now.toISOString(),
  tenant,
  residency,
  routesVersion: ctx.catalog.version,
  expiresAt: expiry(ctx.now, ctx.retentionDays),
});

const quarantine = (
  raw: unknown,
  ctx: IngestContext,
  reason: QuarantineReason,
  message: string,
  event?: IngressEvent,
): IngestDecision => {
  const text = safeStringify(raw);
  return {
    kind: 'quarantine',
    item: {
      id: ctx.quarantineId,
      reason,
      message,
      region: ctx.region,
      receivedAt: ctx.now.toISOString(),
      routesVersion: ctx.catalog.version,
      ...(event ? { source: event.source, eventId: event.id } : {}),
      event:
        text.length > MAX_QUARANTINED_EVENT_CHARS ? `${text.slice(0, MAX_QUARANTINED_EVENT_CHARS)}…[truncated]` : text,
      expiresAt: expiry(ctx.now, ctx.retentionDays),
    },
  };
};

const safeStringify = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};
