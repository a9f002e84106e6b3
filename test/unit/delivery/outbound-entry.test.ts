import { describe, expect, it } from 'vitest';
import {
  buildOutboundEntry,
  maxOutboundSize,
  traceResources,
  type SendStamp,
} from '../../../shared/domain/delivery/outbound-entry';
import { entrySize } from '../../../shared/domain/ingest/event-size';
import { buildInboxItem } from '../../helpers/factories';

const STAMP: SendStamp = { attempt: 1, owner: 'us-east-1', epoch: 4 };
const sizeOf = (item: ReturnType<typeof buildInboxItem>, detail: string, resources: readonly string[]) =>
  entrySize({ source: item.source, detailType: item.detailType, detail, resources, hasTime: true });

describe('buildOutboundEntry', () => {
  it('keeps source, detail-type, detail and time, and addresses the target bus', () => {
    // Prepare
    const item = buildInboxItem();

    // Act
    const entry = buildOutboundEntry(item, { bus: 'fulfilment' }, STAMP);

    // Assess
    expect(entry).toMatchObject({
      Source: item.source,
      DetailType: item.detailType,
      Detail: item.detail,
      EventBusName: 'fulfilment',
    });
    expect(entry.Time.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(entry).not.toHaveProperty('TraceHeader');
  });

  it('appends the trace after the producer’s resources: key, origin, event, attempt, owner epoch and next hop', () => {
    // Prepare
    const item = buildInboxItem({ resources: ['arn:aws:s3:::bucket'], home: 'eu-west-1', eventId: 'evt-9', hops: 1 });

    // Act
    const entry = buildOutboundEntry(item, { bus: 'fulfilment' }, { attempt: 3, owner: 'us-east-1', epoch: 7 });

    // Assess
    expect(entry.Resources).toEqual([
      'arn:aws:s3:::bucket',
      'switchyard:key:k1["com.switchyard.orders","s:o-1"]',
      'switchyard:origin:eu-west-1',
      'switchyard:event:evt-9',
      'switchyard:attempt:3',
      'switchyard:epoch:us-east-1:7',
      'switchyard:hop:2',
    ]);
  });

  it('names the replay job when a replay sends the copy', () => {
    const resources = traceResources(buildInboxItem(), { ...STAMP, replayJob: 'job-42' });
    expect(resources.at(-1)).toBe('switchyard:replay:job-42');
    expect(traceResources(buildInboxItem(), STAMP).some((r) => r.startsWith('switchyard:replay:'))).toBe(false);
  });

  it("sends only the projection's fields when the route narrows the detail", () => {
    // Prepare
    const item = buildInboxItem({ detailObject: { orderId: 'o-1', total: 42, customer: { email: 'a@b.c' } } });

    // Act
    const entry = buildOutboundEntry(
      item,
      { bus: 'analytics', projection: { kind: 'fields', paths: [['detail', 'orderId']] } },
      STAMP,
    );

    // Assess
    expect(JSON.parse(entry.Detail)).toEqual({ orderId: 'o-1' });
    expect(entry.size).toBe(sizeOf(item, entry.Detail, entry.Resources));
  });

  it('sends redacted paths as digests and leaves the stored detail as it was', () => {
    // Prepare
    const item = buildInboxItem({ detailObject: { orderId: 'o-1', email: 'a@b.c' } });
    const storedDetail = item.detail;

    // Act
    const entry = buildOutboundEntry(
      item,
      { bus: 'analytics', projection: { kind: 'redact', paths: [['detail', 'email']] } },
      STAMP,
    );

    // Assess
    expect(JSON.parse(entry.Detail)).toEqual({ orderId: 'o-1', email: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(entry.Detail).not.toContain('a@b.c');
    expect(item.detail).toBe(storedDetail);
  });

  it('charges the size EventBridge counts, trace resources included', () => {
    const item = buildInboxItem();
    const entry = buildOutboundEntry(item, { bus: 'fulfilment' }, STAMP);
    expect(entry.size).toBe(sizeOf(item, item.detail, entry.Resources));
    expect(entry.size).toBeGreaterThan(sizeOf(item, item.detail, []));
  });

  it('passes on the trace header ingest stored with the event', () => {
    const entry = buildOutboundEntry(buildInboxItem({ traceHeader: 'Root=1-abc' }), { bus: 'fulfilment' }, STAMP);
    expect(entry.TraceHeader).toBe('Root=1-abc');
  });
});

describe('maxOutboundSize', () => {
  it('is at least the size of any copy a sender can stamp, replay included', () => {
    // Prepare
    const item = buildInboxItem({ hops: 2 });
    const widest: SendStamp = {
      attempt: 99_999,
      owner: 'ap-southeast-2',
      epoch: 123_456_789,
      replayJob: 'r'.repeat(36),
    };

    // Act
    const max = maxOutboundSize(item);

    // Assess
    expect(max).toBeGreaterThanOrEqual(buildOutboundEntry(item, { bus: 'fulfilment' }, widest).size);
    expect(max).toBeGreaterThan(buildOutboundEntry(item, { bus: 'fulfilment' }, STAMP).size);
  });

  it('grows byte for byte with the detail', () => {
    // Prepare
    const small = buildInboxItem();
    const larger = buildInboxItem({ detailObject: { orderId: 'o-1', note: 'x'.repeat(100) } });

    // Act
    const growth = maxOutboundSize(larger) - maxOutboundSize(small);

    // Assess
    expect(growth).toBe(larger.detail.length - small.detail.length);
  });
});
