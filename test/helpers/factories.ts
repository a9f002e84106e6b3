import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, StreamRecord } from 'aws-lambda';
import { compileCatalog, parseCatalogYaml, type Catalog, type CatalogDocument } from '../../shared/domain/catalog';
import type { PutEventsResultEntry } from '../../shared/domain/delivery/classify-result';
import type { DeliveryRow } from '../../shared/domain/delivery/ledger-entry';
import type { IngestContext, PublisherBindings } from '../../shared/domain/ingest/decide-ingest';
import type { IngressEvent, InboxItem } from '../../shared/domain/ingest/ingress-event';
import { encodeKey, type KeyComponent } from '../../shared/domain/ingest/key-encoding';
import { DAY_MS, expiresAtSeconds, type RetentionSettings } from '../../shared/domain/retention';
import type { PlannedDelivery } from '../../shared/domain/routing/plan-deliveries';
import { LEDGER_ROW } from '../../shared/table-definitions';

/** The sample catalog's YAML text, read from routes/sample.yaml. */
export const SAMPLE_CATALOG_YAML = readFileSync(
  fileURLToPath(new URL('../../routes/sample.yaml', import.meta.url)),
  'utf8',
);

/** A fresh, mutable copy of the sample catalog document, for tests that break one field. */
export const sampleCatalogDocument = (): CatalogDocument => parseCatalogYaml(SAMPLE_CATALOG_YAML) as CatalogDocument;

/** The sample catalog, compiled. */
export const sampleCatalog = (): Catalog => compileCatalog(sampleCatalogDocument());

/** The sample catalog with one change made to its document, compiled. */
export const sampleCatalogWith = (change: (doc: CatalogDocument) => void): Catalog => {
  const doc = sampleCatalogDocument();
  change(doc);
  return compileCatalog(doc);
};

export const ALL_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

/** The account every factory event is published from (bound to every sample tenant by `sampleBindings`). */
export const PUBLISHER_ACCOUNT = '123456789012';

/** The stage retention the factories assume: 14 days everywhere, as stages/local.yml says. */
export const SAMPLE_RETENTION: RetentionSettings = { defaultDays: 14, zoneDays: {} };

/** Each sample tenant bound to its own sources, publishable from `accounts`. */
export const sampleBindings = (accounts: readonly string[] = [PUBLISHER_ACCOUNT]): PublisherBindings =>
  new Map(
    [
      ['orders', 'com.switchyard.orders'],
      ['payments', 'com.switchyard.payments'],
      ['eu-customers', 'com.switchyard.eu.customers'],
    ].map(([tenant, source]) => [
      tenant as string,
      { sources: new Set([source as string]), accounts: new Set(accounts) },
    ]),
  );

/** An EventBridge envelope as the ingress rule hands it to ingest: an order placed, by default. */
export const buildIngressEvent = (overrides: Partial<IngressEvent> = {}): IngressEvent => ({
  version: '0',
  id: 'b5c0b4a8-2d0e-4f5e-9c39-7a1f0d6c1e01',
  'detail-type': 'OrderPlaced',
  source: 'com.switchyard.orders',
  account: PUBLISHER_ACCOUNT,
  time: '2026-11-27T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { orderId: 'o-1', total: 42 },
  ...overrides,
});

let cachedCatalog: Catalog | undefined;

/** What ingest decides with in us-east-1: the sample catalog (compiled once), its bindings, 14-day retention, hop limit 3. */
export const buildIngestContext = (overrides: Partial<IngestContext> = {}): IngestContext => ({
  catalog: (cachedCatalog ??= sampleCatalog()),
  region: 'us-east-1',
  now: new Date('2026-11-27T10:00:01.000Z'),
  quarantineId: 'q-1',
  maxEventBytes: 262_144,
  retention: SAMPLE_RETENTION,
  bindings: sampleBindings(),
  hopLimit: 3,
  ...overrides,
});

/** The inbox id of a key, as ingest derives it (decision 012). */
export const keyIdOf = (source: string, ...values: Array<string | number>): string =>
  encodeKey(
    source,
    values.map((value): KeyComponent => (typeof value === 'number' ? { type: 'n', value } : { type: 's', value })),
  ).id;

export type InboxItemOverrides = Partial<InboxItem> & { detailObject?: Record<string, unknown> };

interface ItemKind {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  /** The key values of a detail, in key-path order; the id is derived from them unless `id` is given. */
  keyOf: (detail: Record<string, unknown>) => Array<string | number>;
  tenant: string;
  zone: string;
  home: string;
}

const RECEIVED_AT = '2026-11-27T10:00:01.000Z';

const buildItemOf = (kind: ItemKind, overrides: InboxItemOverrides): InboxItem => {
  const { detailObject, ...rest } = overrides;
  const detail = detailObject ?? kind.detail;
  const source = rest.source ?? kind.source;
  const receivedAt = rest.receivedAt ?? RECEIVED_AT;
  return {
    id: keyIdOf(source, ...kind.keyOf(detail)),
    eventId: 'b5c0b4a8-2d0e-4f5e-9c39-7a1f0d6c1e01',
    source,
    detailType: kind.detailType,
    detail: JSON.stringify(detail),
    resources: [],
    time: '2026-11-27T10:00:00Z',
    account: PUBLISHER_ACCOUNT,
    home: kind.home,
    receivedAt,
    windowEnd: Date.parse(receivedAt) + SAMPLE_RETENTION.defaultDays * DAY_MS,
    tenant: kind.tenant,
    zone: kind.zone,
    routesVersion: 1,
    hops: 0,
    expiresAt: expiresAtSeconds(Date.parse(receivedAt), SAMPLE_RETENTION.defaultDays),
    ...rest,
  };
};

const stringValue = (value: unknown): string | number =>
  typeof value === 'number' || typeof value === 'string' ? value : String(value);

/** An order placed (zone `global`), stored by us-east-1 under routes version 1. */
export const buildInboxItem = (overrides: InboxItemOverrides = {}): InboxItem =>
  buildItemOf(
    {
      source: 'com.switchyard.orders',
      detailType: 'OrderPlaced',
      detail: { orderId: 'o-1', total: 42 },
      keyOf: (d) => [stringValue(d.orderId)],
      tenant: 'orders',
      zone: 'global',
      home: 'us-east-1',
    },
    overrides,
  );

/** A payment captured (zone `transatlantic`), stored by us-east-1. */
export const buildPaymentItem = (overrides: InboxItemOverrides = {}): InboxItem =>
  buildItemOf(
    {
      source: 'com.switchyard.payments',
      detailType: 'PaymentCaptured',
      detail: { paymentId: 'p-1', amount: 10 },
      keyOf: (d) => [stringValue(d.paymentId)],
      tenant: 'payments',
      zone: 'transatlantic',
      home: 'us-east-1',
    },
    overrides,
  );

/** An EU customer update (zone `eu`, eu-west-1 only), keyed by customer id and version. */
export const buildEuCustomerItem = (overrides: InboxItemOverrides = {}): InboxItem =>
  buildItemOf(
    {
      source: 'com.switchyard.eu.customers',
      detailType: 'CustomerUpdated',
      detail: { customerId: 'c-1', version: 1 },
      keyOf: (d) => [stringValue(d.customerId), stringValue(d.version)],
      tenant: 'eu-customers',
      zone: 'eu',
      home: 'eu-west-1',
    },
    overrides,
  );

/** `count` distinct order items, keyed o-1 … o-<count>. */
export const buildOrderItems = (count: number): InboxItem[] =>
  Array.from({ length: count }, (_, i) =>
    buildInboxItem({ eventId: `evt-${i + 1}`, detailObject: { orderId: `o-${i + 1}`, total: 42 } }),
  );

/** An inbox stream record with marshalled images, as Lambda delivers it from the zone's inbox table. */
export const buildStreamRecord = (r: {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  newItem?: Partial<InboxItem> | Record<string, unknown>;
  oldItem?: Partial<InboxItem> | Record<string, unknown>;
  /** The region whose replica's stream carries the record. */
  region?: string;
  zone?: string;
}): DynamoDBRecord => {
  const toImage = (item: Record<string, unknown>) =>
    marshall(item, { removeUndefinedValues: true }) as unknown as StreamRecord['NewImage'];
  const anyImage = r.newItem ?? r.oldItem ?? {};
  const region = r.region ?? 'us-east-1';
  return {
    eventID: `event-${r.sequenceNumber}`,
    eventName: r.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: 1_795_000_000,
      Keys: toImage({ id: (anyImage as { id?: unknown }).id }),
      ...(r.newItem ? { NewImage: toImage(r.newItem) } : {}),
      ...(r.oldItem ? { OldImage: toImage(r.oldItem) } : {}),
      SequenceNumber: r.sequenceNumber,
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: `arn:aws:dynamodb:${region}:123456789012:table/switchyard-test-${r.zone ?? 'global'}-inbox/stream/2026-01-01T00:00:00.000`,
  };
};

/** A successful PutEvents result entry. */
export const putEventsSuccess = (eventId = 'bus-event-1'): PutEventsResultEntry => ({ EventId: eventId });

/** A failed PutEvents result entry, as EventBridge reports it (no EventId). */
export const putEventsFailure = (errorCode: string, errorMessage = `${errorCode} happened`): PutEventsResultEntry => ({
  ErrorCode: errorCode,
  ErrorMessage: errorMessage,
});

/** A planned, sendable delivery of a target pinned to one region (`placement: 'local'` for a local one). */
export const buildPlannedDelivery = (
  target: string,
  region: string,
  overrides: Partial<PlannedDelivery> = {},
): PlannedDelivery => {
  const placement = overrides.placement ?? region;
  return {
    to: `${target}#${placement}`,
    target,
    placement,
    region,
    bus: target,
    routes: ['test-route'],
    ...overrides,
  };
};

/** A delivery row of an item, as owner us-east-1 claimed it at epoch 1 (status `claimed`, attempt 1). */
export const buildDeliveryRow = (
  item: InboxItem,
  delivery: Pick<PlannedDelivery, 'to' | 'target' | 'region' | 'bus'>,
  overrides: Partial<DeliveryRow> = {},
): DeliveryRow => {
  const owner = overrides.owner ?? 'us-east-1';
  return {
    id: item.id,
    sk: LEDGER_ROW.delivery(delivery.to, owner),
    kind: 'delivery',
    to: delivery.to,
    target: delivery.target,
    region: delivery.region,
    bus: delivery.bus,
    owner,
    home: item.home,
    epoch: 1,
    token: `token-${owner}-1`,
    status: 'claimed',
    attempts: 1,
    due: new Date(Date.parse(item.receivedAt) + 60_000).toISOString(),
    firstClaimedAt: item.receivedAt,
    claimedAt: item.receivedAt,
    receivedAt: item.receivedAt,
    windowEnd: item.windowEnd,
    tenant: item.tenant,
    routes: ['test-route'],
    routesVersion: item.routesVersion,
    ...overrides,
  };
};
