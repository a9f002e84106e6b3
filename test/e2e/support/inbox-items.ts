/** An inbox item as ingest writes it, for drills that inject records straight into the table. */
export const inboxItem = (id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: `com.switchyard.orders#${id}`,
  eventId: `evt-${id}`,
  source: 'com.switchyard.orders',
  detailType: 'OrderPlaced',
  detail: JSON.stringify({ orderId: id, total: 10 }),
  resources: [],
  time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  account: '000000000000',
  home: 'us-east-1',
  owner: 'us-east-1',
  receivedAt: new Date().toISOString(),
  tenant: 'orders',
  residency: 'global',
  routesVersion: 1,
  expiresAt: Math.floor(Date.now() / 1000) + 86_400,
  ...overrides,
});
