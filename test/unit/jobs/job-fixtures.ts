import type { DeliveryRow } from '../../../shared/domain/delivery/ledger-entry';
import type { PlannedDelivery } from '../../../shared/domain/routing/plan-deliveries';

export const NOW = new Date('2026-11-30T12:00:00.000Z');
export const RECEIVED_AT = '2026-11-30T11:00:00.000Z';
const WINDOW_END = Date.parse('2026-12-07T11:00:00.000Z');

/** A planned delivery of `fulfilment` to us-east-1 unless told otherwise. */
export const planned = (overrides: Partial<PlannedDelivery> = {}): PlannedDelivery => ({
  to: 'fulfilment#local',
  target: 'fulfilment',
  placement: 'local',
  region: 'us-east-1',
  bus: 'fulfilment',
  routes: ['orders-to-fulfilment'],
  ...overrides,
});

/** A delivery row of the same incarnation, delivered by us-east-1 at epoch 1 unless told otherwise. */
export const row = (overrides: Partial<DeliveryRow> = {}): DeliveryRow => ({
  id: 'k1["com.switchyard.orders","s:o-1"]',
  sk: `${overrides.to ?? 'fulfilment#local'}@${overrides.owner ?? 'us-east-1'}`,
  kind: 'delivery',
  to: 'fulfilment#local',
  target: 'fulfilment',
  region: 'us-east-1',
  bus: 'fulfilment',
  owner: 'us-east-1',
  home: 'us-east-1',
  epoch: 1,
  token: 't-1',
  status: 'delivered',
  attempts: 1,
  firstClaimedAt: '2026-11-30T11:00:01.000Z',
  claimedAt: '2026-11-30T11:00:01.000Z',
  deliveredAt: '2026-11-30T11:00:01.100Z',
  receivedAt: RECEIVED_AT,
  windowEnd: WINDOW_END,
  tenant: 'orders',
  routes: ['orders-to-fulfilment'],
  routesVersion: 1,
  ...overrides,
});
