import { createHash } from 'node:crypto';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import type { Catalog, SourcePolicy } from '../catalog';
import { clipUtf8, measureJson, safeStringify } from '../json-shape';
import { expiresAtSeconds, retentionDays, DAY_MS, type RetentionSettings } from '../retention';
import { maxOutboundSize } from '../delivery/outbound-entry';
import { encodeKey, keyDigest, readKeyComponents } from './key-encoding';
import { entrySize } from './event-size';
import type { InboxItem, IngressEvent, QuarantineItem, QuarantineReason } from './ingress-event';
import { readTrace, type TraceRead } from './trace-namespace';

/** Who may publish each tenant's sources, as the stage binds them (empty: no binding is enforced). */
export type PublisherBindings = ReadonlyMap<string, { sources: ReadonlySet<string>; accounts: ReadonlySet<string> }>;

export interface IngestContext {
  catalog: Catalog;
  region: string;
  now: Date;
  /** Id for a quarantine item, passed in so the decision stays deterministic. */
  quarantineId: string;
  maxEventBytes: number;
  retention: RetentionSettings;
  bindings: PublisherBindings;
  hopLimit: number;
  traceHeader?: string;
}

export type IngestDecision =
  /** `strippedTrace`: how many producer-sent `switchyard:` resources were removed. */
  { kind: 'store'; item: InboxItem; strippedTrace: number } | { kind: 'quarantine'; item: QuarantineItem };

/** Deeper than any pattern can look, and far from what breaks a JSON parser or serializer. */
export const MAX_EVENT_DEPTH = 100;
const MAX_QUARANTINED_EVENT_CHARS = 300_000;
// A quarantine item must fit DynamoDB's 400 KB: the event text, and each field that may repeat input, is capped.
const MAX_QUARANTINED_EVENT_BYTES = 320_000;
const MAX_QUARANTINE_FIELD_BYTES = 2_048;

type Rejection = { reason: QuarantineReason; message: string };

/** Decides what ingest does with one event: store it in its zone's inbox, or quarantine it with a reason. */
export const decideIngest = (raw: unknown, ctx: IngestContext): IngestDecision => {
  // Measured first and without recursion: nothing below may throw on a hostile shape.
  const shape = measureJson(raw, { maxDepth: MAX_EVENT_DEPTH, maxBytes: ctx.maxEventBytes * 2 + 4096 });
  if (!shape.ok) {
    const reason =
      shape.reason === 'oversized' ? 'oversized' : shape.reason === 'too-deep' ? 'too-deep' : 'invalid-envelope';
    return quarantine(raw, ctx, { reason, message: shape.message });
  }
  const parsed = EventBridgeSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = `${first?.path.join('.') ?? ''} ${first?.message ?? ''}`.trim();
    return quarantine(raw, ctx, { reason: 'invalid-envelope', message: `not an EventBridge event: ${where}` });
  }
  const event = parsed.data as IngressEvent;
  const policy = ctx.catalog.sources.get(event.source);
  const components = policy ? readKeyComponents(event, policy.keyPaths) : undefined;
  // Derived before the checks, so a quarantined event that had a key can still be found by erase.
  const key = components?.ok ? encodeKey(event.source, components.components) : undefined;
  // Residency first: an event outside its zone is refused for that whatever else is wrong, so no
  // other reason's message (a tenant claim, a size) echoes its content where it must not stay.
  const rejection = checkResidency(policy, ctx) ?? checkEnvelope(event, ctx) ?? checkPolicy(event, policy, ctx);
  if (rejection || !policy) return quarantine(raw, ctx, rejection ?? unknownSource(event, ctx), event, key?.id);
  const trace = readTrace(event.resources);
  if (trace.hops >= ctx.hopLimit) {
    const message = `event already went through ${trace.hops} Switchyard deliveries (hop limit ${ctx.hopLimit}): a routing loop`;
    return quarantine(raw, ctx, { reason: 'routing-loop', message }, event, key?.id);
  }
  if (!components?.ok || !key) {
    const refusal = components && !components.ok ? components : { reason: 'missing-key' as const, message: 'no key' };
    return quarantine(raw, ctx, { reason: refusal.reason, message: refusal.message }, event);
  }
  const item = toInboxItem(event, key, trace, policy, ctx);
  const deliveredSize = maxOutboundSize(item);
  if (deliveredSize > ctx.maxEventBytes) {
    const message = `event is ${deliveredSize} bytes with the trace resources delivery adds, over the ${ctx.maxEventBytes}-byte limit`;
    return quarantine(raw, ctx, { reason: 'oversized', message }, event, key.id);
  }
  return { kind: 'store', item, strippedTrace: trace.stripped };
};

const unknownSource = (event: IngressEvent, ctx: IngestContext): Rejection => ({
  reason: 'unknown-source',
  message: `source ${event.source} is not declared in routes version ${ctx.catalog.version}`,
});

const checkEnvelope = (event: IngressEvent, ctx: IngestContext): Rejection | undefined => {
  if (event.detail === null || typeof event.detail !== 'object' || Array.isArray(event.detail)) {
    const got = Array.isArray(event.detail) ? 'an array' : typeof event.detail;
    return { reason: 'detail-not-object', message: `detail must be a JSON object, got ${got}` };
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
  return undefined;
};

const checkPolicy = (
  event: IngressEvent,
  policy: SourcePolicy | undefined,
  ctx: IngestContext,
): Rejection | undefined => {
  if (!policy) return unknownSource(event, ctx);
  const tenantClaim = (event.detail as Record<string, unknown>).tenant;
  if (tenantClaim !== undefined && tenantClaim !== policy.tenant) {
    return {
      reason: 'unknown-tenant',
      message: `detail.tenant ${JSON.stringify(tenantClaim)} is not the tenant that owns ${event.source}`,
    };
  }
  const binding = ctx.bindings.get(policy.tenant);
  if (ctx.bindings.size > 0 && !(binding?.sources.has(event.source) && binding.accounts.has(event.account))) {
    const message = `account ${event.account} is not bound to publish ${event.source} (tenant ${policy.tenant}) in this stage`;
    return { reason: 'unbound-publisher', message };
  }
  return undefined;
};

const isOutsideZone = (policy: SourcePolicy, ctx: IngestContext): boolean =>
  !(ctx.catalog.zones.get(policy.residency) ?? []).includes(ctx.region);

const checkResidency = (policy: SourcePolicy | undefined, ctx: IngestContext): Rejection | undefined => {
  if (!policy || !isOutsideZone(policy, ctx)) return undefined;
  const zone = ctx.catalog.zones.get(policy.residency) ?? [];
  const message = `source ${policy.source} is resident in zone ${policy.residency} (${zone.join(', ')}), not ${ctx.region}`;
  return { reason: 'outside-residency', message };
};

/** Whether a raw event (parsed or not) names a declared source whose zone excludes this region. */
const arrivedOutsideZone = (raw: unknown, ctx: IngestContext): boolean => {
  const source = isPlainObject(raw) && Object.hasOwn(raw, 'source') ? raw.source : undefined;
  const policy = typeof source === 'string' ? ctx.catalog.sources.get(source) : undefined;
  return policy !== undefined && isOutsideZone(policy, ctx);
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const toInboxItem = (
  event: IngressEvent,
  key: { id: string; keyText?: string },
  trace: TraceRead,
  policy: SourcePolicy,
  ctx: IngestContext,
): InboxItem => {
  const days = retentionDays(ctx.retention, policy.residency, ctx.catalog.tenants.get(policy.tenant)?.retentionDays);
  const windowMs = Math.min(policy.dedupeWindowMs ?? days * DAY_MS, days * DAY_MS);
  return {
    id: key.id,
    ...(key.keyText ? { keyText: key.keyText } : {}),
    eventId: event.id,
    source: event.source,
    detailType: event['detail-type'],
    detail: JSON.stringify(event.detail),
    resources: trace.resources,
    time: event.time,
    account: event.account,
    home: ctx.region,
    receivedAt: ctx.now.toISOString(),
    windowEnd: ctx.now.getTime() + windowMs,
    tenant: policy.tenant,
    zone: policy.residency,
    routesVersion: ctx.catalog.version,
    hops: trace.hops,
    ...(ctx.traceHeader ? { traceHeader: ctx.traceHeader } : {}),
    expiresAt: expiresAtSeconds(ctx.now, days),
  };
};

/** Whether the raw event names a declared source whose residency zone does not include this region. */
const quarantine = (
  raw: unknown,
  ctx: IngestContext,
  rejection: Rejection,
  event?: IngressEvent,
  keyId?: string,
): IngestDecision => {
  const text = safeStringify(raw, { maxDepth: MAX_EVENT_DEPTH, maxChars: MAX_QUARANTINED_EVENT_CHARS });
  const field = (value: string): string => clipUtf8(value, MAX_QUARANTINE_FIELD_BYTES);
  // Data that arrived outside its zone must not persist here: metadata and a digest only, also when
  // it is refused before residency could be checked (an envelope too deep or too large to parse).
  const keepEvent = rejection.reason !== 'outside-residency' && !arrivedOutsideZone(raw, ctx);
  return {
    kind: 'quarantine',
    item: {
      id: ctx.quarantineId,
      reason: rejection.reason,
      message: field(rejection.message),
      region: ctx.region,
      receivedAt: ctx.now.toISOString(),
      routesVersion: ctx.catalog.version,
      ...(event
        ? {
            source: field(event.source),
            eventId: field(event.id),
            detailType: field(event['detail-type']),
            account: field(event.account),
          }
        : {}),
      ...(keyId ? { keyDigest: keyDigest(keyId) } : {}),
      digest: createHash('sha256').update(text).digest('hex'),
      ...(keepEvent ? { event: clipUtf8(text, MAX_QUARANTINED_EVENT_BYTES) } : {}),
      expiresAt: expiresAtSeconds(ctx.now, ctx.retention.defaultDays),
    },
  };
};
