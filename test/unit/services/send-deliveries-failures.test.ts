import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../shared/domain/delivery/backoff';
import { BusCallFailedError } from '../../../shared/domain/infrastructure-errors';
import { claimDeliveries } from '../../../shared/services/claim-deliveries';
import { sendDeliveries } from '../../../shared/services/send-deliveries';
import { buildInboxItem, buildOrderItems, buildPlannedDelivery, putEventsFailure } from '../../helpers/factories';
import { entriesOf } from '../../helpers/scripted-bus';
import { NOW, claimEach, createClaimDeps, createSendDeps } from '../../helpers/service-deps';

describe('sendDeliveries: failures', () => {
  it('parks a poison entry while the rest of its batch is delivered', async () => {
    // Prepare
    const send = createSendDeps();
    const items = buildOrderItems(3);
    send.bus.script(entriesOf('com.switchyard.orders#o-2'), [
      putEventsFailure('MalformedDetail', 'Detail is malformed.'),
    ]);
    const claimed = await claimEach(send, items);

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled).toEqual([]);
    expect(send.bus.calls).toHaveLength(1);
    expect(send.ledger.all().map((e) => [e.id, e.status])).toEqual([
      ['com.switchyard.orders#o-1', 'delivered'],
      ['com.switchyard.orders#o-2', 'parked'],
      ['com.switchyard.orders#o-3', 'delivered'],
    ]);
    expect(send.ledger.entry('com.switchyard.orders#o-2', 'fulfilment#us-east-1')?.lastError).toBe(
      'MalformedDetail: Detail is malformed.',
    );
    expect(send.metrics.totals.get('Parked')).toBe(1);
  });

  it('retries a retryable failure with growing backoff until it is delivered', async () => {
    // Prepare
    const send = createSendDeps();
    send.bus.script(entriesOf('com.switchyard.orders#o-1'), [
      putEventsFailure('InternalFailure'),
      putEventsFailure('ThrottlingException'),
    ]);
    const claimed = await claimEach(send, buildOrderItems(2));

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled).toEqual([]);
    expect(send.bus.calls.map((c) => c.entries.length)).toEqual([2, 1, 1]);
    expect(send.ledger.entry('com.switchyard.orders#o-1', 'fulfilment#us-east-1')).toMatchObject({
      status: 'delivered',
      busEventId: expect.any(String),
    });
    expect(send.delays).toEqual([
      backoffDelay(1, send.deps.backoff, () => 0.5),
      backoffDelay(2, send.deps.backoff, () => 0.5),
    ]);
    expect(send.delays).toEqual([100, 200]);
    expect(send.metrics.totals.get('DeliveryRetried')).toBe(2);
  });

  it('records the failure on the last round and returns the delivery unsettled', async () => {
    // Prepare
    const send = createSendDeps({ maxRounds: 3 });
    send.bus.script(
      entriesOf('com.switchyard.orders#o-1'),
      Array(3).fill(putEventsFailure('ThrottlingException', 'Rate exceeded')),
    );
    const claimed = await claimEach(send, buildOrderItems(1));

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled.map((u) => u.item.id)).toEqual(['com.switchyard.orders#o-1']);
    expect(send.bus.calls).toHaveLength(3);
    expect(send.ledger.entry('com.switchyard.orders#o-1', 'fulfilment#us-east-1')).toMatchObject({
      status: 'claimed',
      lastError: 'ThrottlingException: Rate exceeded',
      failedToken: claimed[0]?.token,
      due: NOW.toISOString(),
    });
  });

  it('lets the next claim of an exhausted delivery know it never reached the bus', async () => {
    // Prepare
    const send = createSendDeps({ maxRounds: 1 });
    send.bus.script(entriesOf('com.switchyard.orders#o-1'), [putEventsFailure('InternalFailure')]);
    const items = buildOrderItems(1);
    await sendDeliveries(await claimEach(send, items), send.deps);

    // Act
    const [reclaimed] = await claimEach(send, items);

    // Assess
    expect(reclaimed).toMatchObject({ attempt: 2, suspectedRedelivery: false });
  });

  it('leaves a delivery unsettled when its confirm fails, and the next claim suspects a redelivery', async () => {
    // Prepare
    const send = createSendDeps();
    send.ledger.failOn('confirm', 1);
    const items = buildOrderItems(1);
    const claimed = await claimEach(send, items);

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);
    const [reclaimed] = await claimEach(send, items);
    const second = await sendDeliveries(reclaimed ? [reclaimed] : [], send.deps);

    // Assess
    expect(unsettled.map((u) => u.item.id)).toEqual(['com.switchyard.orders#o-1']);
    expect(reclaimed).toMatchObject({ attempt: 2, suspectedRedelivery: true });
    expect(second).toEqual([]);
    expect(send.bus.accepted).toHaveLength(2);
    expect(send.ledger.entry('com.switchyard.orders#o-1', 'fulfilment#us-east-1')).toMatchObject({
      status: 'delivered',
      redeliveries: 1,
    });
    expect(send.metrics.totals.get('Redelivered')).toBe(1);
  });

  it('leaves a delivery unsettled when its park cannot be written', async () => {
    // Prepare
    const send = createSendDeps();
    send.ledger.failOn('park');
    send.bus.script(entriesOf('com.switchyard.orders#o-1'), [putEventsFailure('AccessDeniedException')]);
    const claimed = await claimEach(send, buildOrderItems(1));

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled).toHaveLength(1);
    expect(send.ledger.entry('com.switchyard.orders#o-1', 'fulfilment#us-east-1')?.status).toBe('claimed');
  });

  it('retries a whole call that failed transiently', async () => {
    // Prepare
    const send = createSendDeps();
    send.bus.failCalls('us-east-1', new BusCallFailedError('us-east-1', true, 'InternalException', new Error('boom')));
    const claimed = await claimEach(send, buildOrderItems(3));

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled).toEqual([]);
    expect(send.bus.calls.map((c) => c.entries.length)).toEqual([3, 3]);
    expect(send.ledger.all().every((e) => e.status === 'delivered')).toBe(true);
  });

  it('resends after a call whose outcome is unknown as a new attempt, counted as a redelivery', async () => {
    // Prepare: a timeout may have delivered the entries before the connection dropped.
    const send = createSendDeps();
    send.bus.failCalls(
      'us-east-1',
      new BusCallFailedError('us-east-1', true, 'TimeoutError', new Error('socket hang up'), true),
    );
    const claimed = await claimEach(send, buildOrderItems(1));

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled).toEqual([]);
    const attempts = send.bus.calls.map((c) =>
      c.entries[0]?.Resources.find((r) => r.startsWith('switchyard:attempt:')),
    );
    expect(attempts).toEqual(['switchyard:attempt:1', 'switchyard:attempt:2']);
    expect(send.ledger.all()[0]?.redeliveries).toBe(1);
    expect(send.metrics.totals.get('Redelivered')).toBe(1);
  });

  it('leaves an exhausted unknown-outcome send unmarked, so the next claim suspects a redelivery', async () => {
    // Prepare
    const send = createSendDeps();
    send.bus.failCalls(
      'us-east-1',
      new BusCallFailedError('us-east-1', true, 'ECONNRESET', new Error('reset'), true),
      99,
    );
    const claimed = await claimEach(send, buildOrderItems(1));

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);
    const [again] = await claimEach(send, buildOrderItems(1));

    // Assess
    expect(unsettled).toHaveLength(1);
    expect(again?.suspectedRedelivery).toBe(true);
  });

  it('parks every entry of a call rejected for good', async () => {
    // Prepare
    const send = createSendDeps();
    send.bus.failCalls(
      'us-east-1',
      new BusCallFailedError('us-east-1', false, 'AccessDeniedException', new Error('denied')),
    );
    const claimed = await claimEach(send, buildOrderItems(2));

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled).toEqual([]);
    expect(send.ledger.all().map((e) => e.status)).toEqual(['parked', 'parked']);
    expect(send.ledger.all()[0]?.lastError).toMatch(/^AccessDeniedException: /);
  });

  it('counts a confirm whose claim was taken over as lost, not delivered', async () => {
    // Prepare
    const send = createSendDeps();
    const items = buildOrderItems(1);
    const claimed = await claimEach(send, items);
    const { deps: takeover } = createClaimDeps({
      ledger: send.ledger,
      owner: 'eu-west-1',
      epoch: 9,
      newToken: () => 'takeover',
    });
    await claimDeliveries(items[0] ?? buildInboxItem(), [buildPlannedDelivery('fulfilment', 'us-east-1')], takeover);

    // Act
    const unsettled = await sendDeliveries(claimed, send.deps);

    // Assess
    expect(unsettled).toEqual([]);
    expect(send.metrics.totals.get('ClaimLost')).toBe(1);
    expect(send.metrics.totals.get('Delivered')).toBeUndefined();
    expect(send.ledger.entry('com.switchyard.orders#o-1', 'fulfilment#us-east-1')).toMatchObject({
      status: 'claimed',
      token: 'takeover',
    });
  });
});
