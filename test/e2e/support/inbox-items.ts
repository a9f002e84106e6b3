import { encodeKey } from '../../../shared/domain/ingest/key-encoding';

/** The inbox id of an order key, as ingest derives it. */
export const orderId = (key: string): string => encodeKey('com.switchyard.orders', [{ type: 's', value: key }]).id;

/** An inbox item as ingest writes it (an order in us-east-1, zone global), for drills that inject records straight into the table. */
export const inboxItem = (key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: orderId(key),
  eventId: `evt-${key}`,
  source: 'com.switchyard.orders',
  detailType: 'OrderPlaced',
  detail: JSON.stringify({ orderId: key, total: 10 }),
  resources: [],
  time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  account: '000000000000',
  home: 'us-east-1',
  receivedAt: new Date().toISOString(),
  windowEnd: Date.now() + 86_400_000,
  tenant: 'orders',
  zone: 'global',
  routesVersion: 1,
  hops: 0,
  expiresAt: Math.floor(Date.now() / 1000) + 86_400,
  ...overrides,
});
