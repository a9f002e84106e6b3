import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, StreamRecord } from 'aws-lambda';
import { compileCatalog, parseCatalogYaml, type Catalog, type CatalogDocument } from '../../shared/domain/catalog';
import type { PutEventsResultEntry } from '../../shared/domain/delivery/classify-result';
import type { IngressEvent, InboxItem } from '../../shared/domain/ingest/ingress-event';
import type { PlannedDelivery } from '../../shared/domain/routing/plan-deliveries';
import type { ClaimedDelivery } from '../../shared/services/claim-deliveries';

/** The sample catalog's YAML text, read from routes/sample.yaml. */
export const SAMPLE_CATALOG_YAML = readFileSync(
  fileURLToPath(new URL('../../routes/sample.yaml', import.meta.url)),
  'utf8',
);

/** A fresh, mutable copy of the sample catalog document, for tests that break one field. */
export const sampleCatalogDocument = (): CatalogDocument => parseCatalogYaml(SAMPLE_CATALOG_YAML) as CatalogDocument;

/** The sample catalog, compiled. */
export const sampleCatalog = (): Catalog => compileCatalog(sampleCatalogDocument());

export const ALL_REGIONS: ReadonlySet<string> = new Set(['us-east-1', 'eu-west-1', 'ap-southeast-2']);

/** An EventBridge envelope as the ingress rule hands it to ingest: an order placed, by default. */
export const buildIngressEvent = (overrides: Partial<IngressEvent> = {}): IngressEvent => ({
  version: '0',
  id: 'b5c0b4a8-2d0e-4f5e-9c39-7a1f0d6c1e01',
  'detail-type': 'OrderPlaced',
  source: 'com.switchyard.orders',
  account: '123456789012',
  time: '2026-11-27T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { orderId: 'o-1', total: 42 },
  ...overrides,
});

/** An inbox item as ingest stores it (an order placed in us-east-1, pinned to routes version 1). */
export const buildInboxItem = (
  overrides: Partial<InboxItem> & { detailObject?: Record<string, unknown> } = {},
): InboxItem => {
  const { detailObject, ...rest } = overrides;
  return {
    id: 'com.switchyard.orders#o-1',
    eventId: 'b5c0b4a8-2d0e-4f5e-9c39-7a1f0d6c1e01',
    source: 'com.switchyard.orders',
    detailType: 'OrderPlaced',
    detail: JSON.stringify(detailObject ?? { orderId: 'o-1', total: 42 }),
    resources: [],
    time: '2026-11-27T10:00:00Z',
    account: '123456789012',
    home: 'us-east-1',
    owner: 'us-east-1',
    receivedAt: '2026-11-27T10:00:01.000Z',
    tenant: 'orders',
    residency: 'global',
    routesVersion: 1,
    expiresAt: 1_800_000_000,
    ...rest,
  };
};

/** A payment (transatlantic residency) stored by its home region. */
export const buildPaymentItem = (overrides: Partial<InboxItem> = {}): InboxItem =>
  buildInboxItem({
    id: 'com.switchyard.payments#p-1',
    source: 'com.switchyard.payments',
    detailType: 'PaymentCaptured',
    detailObject: { paymentId: 'p-1', amount: 10 },
    tenant: 'payments',
    residency: 'transatlantic',
    ...overrides,
  });

/** A EU customer event, resident in eu-west-1 only. */
export const buildEuCustomerItem = (overrides: Partial<InboxItem> = {}): InboxItem =>
  buildInboxItem({
    id: 'com.switchyard.eu.customers#c-1',
    source: 'com.switchyard.eu.customers',
    detailType: 'CustomerUpdated',
    detailObject: { customerId: 'c-1' },
    home: 'eu-west-1',
    owner: 'eu-west-1',
    tenant: 'eu-customers',
    residency: 'eu',
    ...overrides,
  });

/** An inbox stream record with marshalled images, as Lambda delivers it. */
export const buildStreamRecord = (r: {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  newItem?: Partial<InboxItem> | Record<string, unknown>;
  oldItem?: Partial<InboxItem> | Record<string, unknown>;
  region?: string;
}): DynamoDBRecord => {
  const toImage = (item: Record<string, unknown>) =>
    marshall(item, { removeUndefinedValues: true }) as unknown as StreamRecord['NewImage'];
  const anyImage = r.newItem ?? r.oldItem ?? {};
  return {
    eventID: `event-${r.sequenceNumber}`,
    eventName: r.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.region ?? 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1_795_000_000,
      Keys: toImage({ id: (anyImage as { id?: unknown }).id }),
      ...(r.newItem ? { NewImage: toImage(r.newItem) } : {}),
      ...(r.oldItem ? { OldImage: toImage(r.oldItem) } : {}),
      SequenceNumber: r.sequenceNumber,
      SizeBytes: 100,
      StreamViewType: r.oldItem ? 'NEW_AND_OLD_IMAGES' : 'NEW_IMAGE',
    },
    eventSourceARN:
      'arn:aws:dynamodb:us-east-1:123456789012:table/switchyard-test-inbox/stream/2026-01-01T00:00:00.000',
  };
};

/** A successful PutEvents result entry. */
export const putEventsSuccess = (eventId = 'bus-event-1'): PutEventsResultEntry => ({ EventId: eventId });

/** A failed PutEvents result entry, as EventBridge reports it (no EventId). */
export const putEventsFailure = (errorCode: string, errorMessage = `${errorCode} happened`): PutEventsResultEntry => ({
  ErrorCode: errorCode,
  ErrorMessage: errorMessage,
});

/** A planned, unblocked delivery of a target in one region. */
export const buildPlannedDelivery = (
  target: string,
  region: string,
  overrides: Partial<PlannedDelivery> = {},
): PlannedDelivery => ({
  to: `${target}#${region}`,
  target,
  region,
  bus: target,
  routes: ['test-route'],
  ...overrides,
});

/** A delivery this router holds the claim for. */
export const buildClaimedDelivery = (
  item: InboxItem,
  delivery: PlannedDelivery,
  overrides: Partial<ClaimedDelivery> = {},
): ClaimedDelivery => ({
  item,
  delivery,
  token: `token-${item.id}-${delivery.to}`,
  attempt: 1,
  suspectedRedelivery: false,
  ...overrides,
});

/** `count` distinct order items, keyed o-1 … o-<count>. */
export const buildOrderItems = (count: number): InboxItem[] =>
  Array.from({ length: count }, (_, i) =>
    buildInboxItem({
      id: `com.switchyard.orders#o-${i + 1}`,
      eventId: `evt-${i + 1}`,
      detailObject: { orderId: `o-${i + 1}`, total: 42 },
    }),
  );
