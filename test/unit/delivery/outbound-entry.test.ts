import { describe, expect, it } from 'vitest';
import { buildOutboundEntry } from '../../../shared/domain/delivery/outbound-entry';
import { entrySize } from '../../../shared/domain/ingest/event-size';
import { buildInboxItem } from '../../helpers/factories';

describe('buildOutboundEntry', () => {
  it('keeps source, detail-type, detail and time, and addresses the target bus', () => {
    // Prepare
    const item = buildInboxItem();

    // Act
    const entry = buildOutboundEntry(item, 'fulfilment', 1);

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

  it('appends the key, origin, event id and attempt as trace resources after the original ones', () => {
    // Prepare
    const item = buildInboxItem({ resources: ['arn:aws:s3:::bucket'], home: 'eu-west-1', eventId: 'evt-9' });

    // Act
    const entry = buildOutboundEntry(item, 'fulfilment', 3);

    // Assess
    expect(entry.Resources).toEqual([
      'arn:aws:s3:::bucket',
      'switchyard:key:com.switchyard.orders#o-1',
      'switchyard:origin:eu-west-1',
      'switchyard:event:evt-9',
      'switchyard:attempt:3',
    ]);
  });

  it('charges the size EventBridge counts, trace resources included', () => {
    const item = buildInboxItem();
    const entry = buildOutboundEntry(item, 'fulfilment', 1);
    expect(entry.size).toBe(
      entrySize({
        source: item.source,
        detailType: item.detailType,
        detail: item.detail,
        resources: entry.Resources,
        hasTime: true,
      }),
    );
    expect(entry.size).toBeGreaterThan(
      entrySize({
        source: item.source,
        detailType: item.detailType,
        detail: item.detail,
        resources: [],
        hasTime: true,
      }),
    );
  });

  it('carries the trace header when one is given', () => {
    const entry = buildOutboundEntry(buildInboxItem(), 'fulfilment', 1, 'Root=1-abc');
    expect(entry.TraceHeader).toBe('Root=1-abc');
  });
});
