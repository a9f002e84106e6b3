import { describe, expect, it } from 'vitest';
import {
  classifyDeliveries,
  needsDelivery,
  type ClassifyInput,
} from '../../../shared/domain/reconcile/classify-deliveries';
import { NOW, planned, RECEIVED_AT, row } from '../jobs/job-fixtures';

const input = (overrides: Partial<ClassifyInput>): ClassifyInput => ({
  planned: [planned()],
  rows: [],
  home: 'us-east-1',
  receivedAt: RECEIVED_AT,
  now: NOW,
  ...overrides,
});

describe('reconcile classification', () => {
  it('classifies a delivery one owner delivered as delivered once', () => {
    expect(classifyDeliveries(input({ rows: [row()] }))).toMatchObject([{ class: 'delivered-once' }]);
  });

  it('lists both copies, with their owners and epochs, when two owners delivered the same delivery', () => {
    // Prepare: the home delivered it at epoch 1, then the successor at epoch 2 after a takeover.
    const rows = [row(), row({ owner: 'eu-west-1', epoch: 2, deliveredAt: '2026-11-30T11:00:09.000Z' })];
    // Act
    const [found] = classifyDeliveries(input({ rows }));
    // Assess
    expect(found?.class).toBe('delivered-more-than-once');
    expect(found?.copies.map((c) => [c.owner, c.epoch])).toEqual([
      ['us-east-1', 1],
      ['eu-west-1', 2],
    ]);
  });

  it('counts a send repeated after an unknown outcome as delivered more than once', () => {
    const [found] = classifyDeliveries(input({ rows: [row({ attempts: 2, redeliveries: 1 })] }));
    expect(found?.class).toBe('delivered-more-than-once');
  });

  it('classifies no row, or only an expired claim, as missing and to be delivered', () => {
    const [none] = classifyDeliveries(input({}));
    const [expired] = classifyDeliveries(
      input({ rows: [row({ status: 'claimed', due: '2026-11-30T11:30:00.000Z', deliveredAt: undefined })] }),
    );
    expect(none?.class).toBe('missing');
    expect(expired?.class).toBe('missing');
    expect(none && needsDelivery(none)).toBe(true);
  });

  it('keeps the reason of a parked delivery and of a waiting one', () => {
    const found = classifyDeliveries(
      input({
        planned: [planned(), planned({ to: 'analytics#us-east-1', target: 'analytics' })],
        rows: [
          row({ status: 'parked', lastError: 'AccessDenied: nope' }),
          row({ to: 'analytics#us-east-1', target: 'analytics', status: 'waiting', lastError: 'BreakerOpen' }),
        ],
      }),
    );
    expect(found.map((f) => [f.class, f.reason])).toEqual([
      ['parked', 'AccessDenied: nope'],
      ['waiting', 'BreakerOpen'],
    ]);
  });

  it('classifies a plan outside the residency zone as residency-blocked whatever the rows say', () => {
    const [found] = classifyDeliveries(
      input({ planned: [planned({ blocked: { reason: 'residency-blocked', message: 'outside the zone' } })] }),
    );
    expect(found).toMatchObject({ class: 'residency-blocked', reason: 'outside the zone' });
  });

  it('classifies an event the failed region accepted before the takeover and only it worked on later as never replicated', () => {
    // Prepare: accepted at 11:00 by us-east-1; eu-west-1 took over at 11:00:05; us-east-1 delivered it at 11:10 after coming back.
    const outage = { region: 'us-east-1', takeoverAt: '2026-11-30T11:00:05.000Z' };
    const late = row({ firstClaimedAt: '2026-11-30T11:10:00.000Z' });
    // Act
    const [delivered] = classifyDeliveries(input({ rows: [late], outage }));
    const [missing] = classifyDeliveries(input({ outage }));
    const [sweptBySuccessor] = classifyDeliveries(
      input({ rows: [row({ owner: 'eu-west-1', epoch: 2, firstClaimedAt: '2026-11-30T11:00:06.000Z' })], outage }),
    );
    // Assess
    expect(delivered).toMatchObject({ class: 'never-replicated', state: 'delivered' });
    expect(missing).toMatchObject({ class: 'never-replicated', state: 'missing' });
    expect(missing && needsDelivery(missing)).toBe(true);
    expect(sweptBySuccessor?.class).toBe('delivered-once');
  });

  it("classifies, with the successor's watermark, what it did not hold at takeover as never replicated, until the region came back", () => {
    // Prepare: the successor held events up to 10:59:58 in this shard; the region came back at 11:20.
    const outage = {
      region: 'us-east-1',
      takeoverAt: '2026-11-30T11:00:05.000Z',
      recoveredAt: '2026-11-30T11:20:00.000Z',
      watermark: '2026-11-30T10:59:58.000Z',
    };
    const delivered = [row()];
    // Act
    const [late] = classifyDeliveries(input({ rows: delivered, outage }));
    const [held] = classifyDeliveries(input({ rows: delivered, outage: { ...outage, watermark: RECEIVED_AT } }));
    const [afterRecovery] = classifyDeliveries(
      input({ rows: delivered, outage: { ...outage, recoveredAt: '2026-11-30T10:30:00.000Z' } }),
    );
    const [otherHome] = classifyDeliveries(input({ rows: delivered, home: 'eu-west-1', outage }));
    // Assess
    expect(late).toMatchObject({ class: 'never-replicated', state: 'delivered' });
    expect([held?.class, afterRecovery?.class, otherHome?.class]).toEqual([
      'delivered-once',
      'delivered-once',
      'delivered-once',
    ]);
  });

  it('does not count a forced replay on its own row as a repeat', () => {
    const rows = [row(), row({ sk: 'fulfilment#local@us-east-1#replay:rp-1', replayJob: 'rp-1' })];
    expect(classifyDeliveries(input({ rows }))).toMatchObject([{ class: 'delivered-once' }]);
  });
});
