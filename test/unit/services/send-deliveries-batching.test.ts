import { describe, expect, it } from 'vitest';
import { sendDeliveries } from '../../../shared/services/send-deliveries';
import { buildInboxItem, buildOrderItems } from '../../helpers/factories';
import { claimEach, createSendDeps } from '../../helpers/service-deps';

describe('sendDeliveries: batching', () => {
  it('sends 25 deliveries to one region in 3 PutEvents calls shared across events', async () => {
    // Prepare
    const send = createSendDeps();
    const claimed = await claimEach(send, buildOrderItems(25));

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled).toEqual([]);
    expect(send.bus.calls.map((c) => [c.region, c.entries.length])).toEqual([
      ['us-east-1', 10],
      ['us-east-1', 10],
      ['us-east-1', 5],
    ]);
    expect(send.ledger.all().every((e) => e.status === 'delivered')).toBe(true);
    expect(send.metrics.totals.get('Delivered')).toBe(25);
    expect(send.metrics.totals.get('PutEventsCalls')).toBe(3);
  });

  it('sends each region its own calls', async () => {
    // Prepare
    const send = createSendDeps();
    const items = buildOrderItems(5);
    const claimed = [
      ...(await claimEach(send, items.slice(0, 3))),
      ...(await claimEach(send, items.slice(3), 'eu-west-1')),
    ];

    // Act
    await sendDeliveries(claimed, send.deps);

    // Assess
    expect(
      send.bus.calls
        .map((c) => [c.region, c.entries.map((e) => e.Resources.find((r) => r.startsWith('switchyard:key:')))])
        .sort(),
    ).toEqual([
      ['eu-west-1', ['switchyard:key:com.switchyard.orders#o-4', 'switchyard:key:com.switchyard.orders#o-5']],
      [
        'us-east-1',
        [
          'switchyard:key:com.switchyard.orders#o-1',
          'switchyard:key:com.switchyard.orders#o-2',
          'switchyard:key:com.switchyard.orders#o-3',
        ],
      ],
    ]);
  });

  it('parks an entry over the size limit without sending it', async () => {
    // Prepare
    const send = createSendDeps({ maxBatchBytes: 2_000 });
    const big = buildInboxItem({
      id: 'com.switchyard.orders#big',
      detailObject: { orderId: 'big', blob: 'z'.repeat(3_000) },
    });
    const claimed = await claimEach(send, [big, ...buildOrderItems(1)]);

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled).toEqual([]);
    expect(send.bus.calls.flatMap((c) => c.entries)).toHaveLength(1);
    expect(send.ledger.entry(big.id, 'fulfilment#us-east-1')).toMatchObject({
      status: 'parked',
      lastError: expect.stringMatching(/^EntryTooLarge: entry is \d+ bytes, over the 2000-byte PutEvents limit$/),
    });
  });
});
