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

/** The inbox item: one stored event, keyed by its idempotency key. */
export interface InboxItem {
  id: string;
  eventId: string;
  source: string;
  detailType: string;
  /** The detail as JSON text, so numbers and empty strings survive DynamoDB untouched. */
  detail: string;
  resources: string[];
  time: string;
  account: string;
  home: string;
  owner: string;
  receivedAt: string;
  tenant: string;
  residency: string;
  routesVersion: number;
  expiresAt: number;
}

/** Why an event was quarantined instead of stored. */
export type QuarantineReason =
  | 'invalid-envelope'
  | 'detail-not-object'
  | 'oversized'
  | 'missing-key'
  | 'unknown-source'
  | 'unknown-tenant'
  | 'outside-residency';

/** A rejected event, kept with its reason; nothing is dropped silently. */
export interface QuarantineItem {
  id: string;
  reason: QuarantineReason;
  message: string;
  region: string;
  receivedAt: string;
  source?: string;
  eventId?: string;
  routesVersion?: number;
  /** The raw event as JSON text, truncated to stay within an item's size. */
  event: string;
  expiresAt: number;
}
