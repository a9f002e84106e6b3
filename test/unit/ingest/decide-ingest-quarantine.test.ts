import { describe, expect, it } from 'vitest';
import { buildOutboundEntry } from '../../../shared/domain/delivery/outbound-entry';
import { decideIngest } from '../../../shared/domain/ingest/decide-ingest';
import { buildIngestContext, buildIngressEvent } from '../../helpers/factories';
import { quarantined, stored } from './ingest-decisions';

const NOW = new Date('2026-11-27T10:00:01.000Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

describe('decideIngest: size', () => {
  // 14 (time) + 21 (source) + 11 (detail-type) + the detail's JSON bytes
  const detail = { orderId: 'o-1', note: 'x'.repeat(100) };
  const size = 14 + 21 + 11 + JSON.stringify(detail).length;

  it('quarantines an event over the byte limit as oversized, counting it as EventBridge does', () => {
    const decision = decideIngest(buildIngressEvent({ detail }), buildIngestContext({ maxEventBytes: size - 1 }));
    expect(quarantined(decision)).toMatchObject({
      reason: 'oversized',
      message: `event is ${size} bytes, over the ${size - 1}-byte limit`,
    });
  });

  it('quarantines an event that fits the limit alone but not with the trace resources delivery adds', () => {
    const decision = decideIngest(buildIngressEvent({ detail }), buildIngestContext({ maxEventBytes: size + 50 }));
    expect(quarantined(decision)).toMatchObject({ reason: 'oversized', message: expect.stringContaining('trace') });
  });

  it('stores an event whose delivered form fits the limit, whoever sends it', () => {
    // Prepare
    const maxEventBytes = size + 500;

    // Act
    const item = stored(decideIngest(buildIngressEvent({ detail }), buildIngestContext({ maxEventBytes })));

    // Assess
    const stamp = { attempt: 12, owner: 'ap-southeast-2', epoch: 40, replayJob: 'replay-0001' };
    expect(buildOutboundEntry(item, { bus: 'fulfilment' }, stamp).size).toBeLessThanOrEqual(maxEventBytes);
  });

  it('truncates the kept copy of a very large quarantined event', () => {
    const event = buildIngressEvent({ detail: { orderId: 'o-1', blob: 'y'.repeat(310_000) } });
    const item = quarantined(decideIngest(event, buildIngestContext()));
    expect(item.reason).toBe('oversized');
    expect(item.event?.length).toBe(300_000 + '…[truncated]'.length);
    expect(item.event?.endsWith('…[truncated]')).toBe(true);
  });

  it('quarantines an envelope far over the limit before parsing it', () => {
    const event = buildIngressEvent({ detail: { orderId: 'o-1', blob: 'z'.repeat(600_000) } });
    expect(quarantined(decideIngest(event, buildIngestContext()))).toMatchObject({
      reason: 'oversized',
      message: expect.stringContaining('larger than'),
    });
  });
});

describe('decideIngest: the quarantine record', () => {
  const DYNAMODB_ITEM_LIMIT = 400 * 1024;
  const itemBytes = (item: unknown) => Buffer.byteLength(JSON.stringify(item), 'utf8');

  it.each([
    [
      'a detail.tenant claim repeated in the message',
      buildIngressEvent({ detail: { orderId: 'o-1', tenant: 't'.repeat(250_000) } }),
    ],
    ['an unknown source repeated in the message and the metadata', buildIngressEvent({ source: 's'.repeat(200_000) })],
    ['an account repeated in the message and the metadata', buildIngressEvent({ account: '9'.repeat(500_000) })],
    [
      'an oversized detail of three-byte characters',
      buildIngressEvent({ detail: { orderId: 'o-1', text: '€'.repeat(170_000) } }),
    ],
  ])('keeps the quarantine item within DynamoDB’s 400 KB when given %s', (_name, event) => {
    // Act
    const item = quarantined(decideIngest(event, buildIngestContext()));

    // Assess
    expect(itemBytes(item)).toBeLessThanOrEqual(DYNAMODB_ITEM_LIMIT);
  });

  it('records the quarantine id, region, time, routes version and the stage’s default expiry', () => {
    // Prepare
    const ctx = buildIngestContext({ quarantineId: 'q-42', region: 'eu-west-1' });

    // Act
    const item = quarantined(decideIngest(buildIngressEvent({ source: 'com.example.unknown' }), ctx));

    // Assess
    expect(item).toMatchObject({
      id: 'q-42',
      region: 'eu-west-1',
      receivedAt: NOW.toISOString(),
      routesVersion: 1,
      expiresAt: NOW_SECONDS + 14 * 86_400,
    });
  });

  it('keeps a digest of the event as received', () => {
    const a = quarantined(decideIngest(buildIngressEvent({ source: 'a.unknown' }), buildIngestContext()));
    const b = quarantined(decideIngest(buildIngressEvent({ source: 'b.unknown' }), buildIngestContext()));
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(a.digest).not.toBe(b.digest);
  });
});
