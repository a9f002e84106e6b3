/** An event as the ingress rule hands it to ingest (the EventBridge envelope). */
export interface IngressEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** The inbox item: one stored event in its zone's inbox, keyed by its idempotency key. */
export interface InboxItem {
  /** The typed, injective key encoding (docs/decisions/012-keys-and-dedupe-window.md). */
  id: string;
  /** The full key encoding, when `id` is its hash (long keys). */
  keyText?: string;
  eventId: string;
  source: string;
  detailType: string;
  /** The detail as JSON text, so numbers and empty strings survive DynamoDB untouched. */
  detail: string;
  /** The producer's resources, without any `switchyard:` entry (that namespace is Switchyard's). */
  resources: string[];
  time: string;
  account: string;
  /** The region that accepted it. */
  home: string;
  receivedAt: string;
  /** Epoch ms when this incarnation's dedupe window ends: a later event with the key is new. */
  windowEnd: number;
  tenant: string;
  zone: string;
  routesVersion: number;
  /** How many Switchyard deliveries this event went through before it reached this ingress. */
  hops: number;
  /** The X-Ray trace header of the ingest invocation, passed on to PutEvents. */
  traceHeader?: string;
  expiresAt: number;
}

/** Why an event was quarantined instead of stored. */
export type QuarantineReason =
  | 'invalid-envelope'
  | 'detail-not-object'
  | 'too-deep'
  | 'oversized'
  | 'missing-key'
  | 'unsafe-number-key'
  | 'unknown-source'
  | 'unknown-tenant'
  | 'unbound-publisher'
  | 'outside-residency'
  | 'routing-loop'
  | 'store-rejected';

/** A rejected event, kept in the region that received it, with its reason; nothing is dropped silently. */
export interface QuarantineItem {
  id: string;
  reason: QuarantineReason;
  message: string;
  region: string;
  receivedAt: string;
  source?: string;
  eventId?: string;
  detailType?: string;
  account?: string;
  routesVersion?: number;
  /** sha256 of the key encoding, when one could be derived (erase finds the item by it). */
  keyDigest?: string;
  /** sha256 of the raw event as received. */
  digest: string;
  /** The raw event as JSON text, truncated; absent when its source is resident outside this region (its data never crosses a border). */
  event?: string;
  expiresAt: number;
}
