import { describe, expect, it } from 'vitest';
import { deliveryMatches, eventMatches, isEventKey, statusOf, windowOf } from '../../../shared/domain/jobs/selection';
import { NOW, planned, row } from './job-fixtures';

const event = {
  id: 'k1["com.switchyard.orders","s:o-1"]',
  eventId: 'eb-1',
  tenant: 'orders',
  source: 'com.switchyard.orders',
  receivedAt: '2026-11-30T11:00:00.000Z',
};

describe('replay selection', () => {
  it('selects an event by tenant, source and a closed received-at window', () => {
    expect(eventMatches({ tenant: 'orders' }, event, NOW)).toBe(true);
    expect(eventMatches({ tenant: 'payments' }, event, NOW)).toBe(false);
    expect(eventMatches({ source: 'com.switchyard.payments' }, event, NOW)).toBe(false);
    expect(eventMatches({ from: '2026-11-30T11:00:00Z', to: '2026-11-30T11:00:00Z' }, event, NOW)).toBe(true);
    expect(eventMatches({ from: '2026-11-30T11:00:00.001Z' }, event, NOW)).toBe(false);
    expect(eventMatches({ to: '2026-11-30T10:59:59Z' }, event, NOW)).toBe(false);
  });

  it('selects an event by its Switchyard key or by its EventBridge event id', () => {
    expect(eventMatches({}, event, NOW, new Set([event.id]))).toBe(true);
    expect(eventMatches({}, event, NOW, new Set(['eb-1']))).toBe(true);
    expect(eventMatches({}, event, NOW, new Set(['eb-2']))).toBe(false);
    expect(isEventKey(event.id)).toBe(true);
    expect(isEventKey(`h1:${'a'.repeat(64)}`)).toBe(true);
    expect(isEventKey('eb-1')).toBe(false);
  });

  it('covers everything up to now when no window is given', () => {
    expect(windowOf({}, NOW)).toEqual({ from: '1970-01-01T00:00:00.000Z', to: NOW.toISOString() });
  });

  it('selects a delivery by route, target and the region it goes to', () => {
    const delivery = planned({ region: 'eu-west-1', routes: ['a', 'b'] });
    expect(deliveryMatches({ route: 'b', target: 'fulfilment', region: 'eu-west-1' }, delivery)).toBe(true);
    expect(deliveryMatches({ route: 'c' }, delivery)).toBe(false);
    expect(deliveryMatches({ target: 'analytics' }, delivery)).toBe(false);
    expect(deliveryMatches({ region: 'us-east-1' }, delivery)).toBe(false);
  });

  it('reads a delivery as delivered when any owner delivered it, even if another parked it', () => {
    expect(statusOf([row({ owner: 'eu-west-1', status: 'parked' }), row()], NOW)).toBe('delivered');
    expect(statusOf([row({ status: 'parked' }), row({ owner: 'eu-west-1', status: 'waiting' })], NOW)).toBe('parked');
    expect(statusOf([row({ status: 'waiting' })], NOW)).toBe('waiting');
  });

  it('reads a live claim as in flight and an expired one, or no row, as missing', () => {
    expect(statusOf([row({ status: 'claimed', due: '2026-11-30T12:00:30.000Z' })], NOW)).toBe('in-flight');
    expect(statusOf([row({ status: 'claimed', due: '2026-11-30T11:59:00.000Z' })], NOW)).toBe('missing');
    expect(statusOf([], NOW)).toBe('missing');
  });
});
