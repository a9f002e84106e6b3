import { describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER_SETTINGS } from '../../../shared/domain/delivery/breaker';
import { createBreakers } from '../../../shared/domain/delivery/breaker-registry';
import type { DeliveryRow } from '../../../shared/domain/delivery/ledger-entry';
import type { PlannedDelivery } from '../../../shared/domain/routing/plan-deliveries';
import type { EventWork } from '../../../shared/services/delivery/delivery-deps';
import { planSteps } from '../../../shared/services/delivery/plan-steps';
import { createDeliveryDeps } from '../../helpers/delivery-deps';
import { buildDeliveryRow, buildInboxItem, buildPlannedDelivery } from '../../helpers/factories';

const ITEM = buildInboxItem();
const RECEIVED = Date.parse(ITEM.receivedAt);
const NOW = RECEIVED + 10_000;
const HOUR = 3_600_000;
const FULFILMENT = buildPlannedDelivery('fulfilment', 'us-east-1', { placement: 'local' });

/** The work of router us-east-1 on ITEM, with the ledger rows it read (none when omitted). */
const workWith = (deliveries?: DeliveryRow[], extra: Partial<EventWork> = {}): EventWork => ({
  item: ITEM,
  ownership: { zone: 'global', home: 'us-east-1', epoch: 3, since: '2026-11-27T00:00:00.000Z' },
  ...(deliveries ? { rows: { events: [], deliveries, duplicates: [], drops: [] } } : {}),
  ...extra,
});
const row = (overrides: Partial<DeliveryRow>) => buildDeliveryRow(ITEM, FULFILMENT, overrides);
const stepsFor = (work: EventWork, planned: PlannedDelivery[] = [FULFILMENT], now = NOW) =>
  planSteps(work, planned, createDeliveryDeps({ now }).deps);

describe('planSteps: what is already settled', () => {
  it('claims a sendable delivery when no rows are known', () => {
    expect(stepsFor(workWith())).toEqual([
      { kind: 'claim', delivery: FULFILMENT, possibleRepeat: false, priorAttempts: 0 },
    ]);
  });

  it('leaves a delivery another owner delivered, and says it was delivered elsewhere', () => {
    const steps = stepsFor(workWith([row({ owner: 'eu-west-1', status: 'delivered' })]));
    expect(steps).toEqual([{ kind: 'done', state: { to: 'fulfilment#local', status: 'delivered' }, elsewhere: true }]);
  });

  it('leaves a delivery this owner delivered, not elsewhere', () => {
    const steps = stepsFor(workWith([row({ owner: 'us-east-1', status: 'delivered' })]));
    expect(steps).toEqual([{ kind: 'done', state: { to: 'fulfilment#local', status: 'delivered' }, elsewhere: false }]);
  });

  it('leaves a parked delivery parked, with the reason it was parked', () => {
    const steps = stepsFor(workWith([row({ status: 'parked', lastError: 'AccessDenied: no permission' })]));
    expect(steps).toEqual([
      {
        kind: 'done',
        state: { to: 'fulfilment#local', status: 'parked', reason: 'AccessDenied: no permission' },
        elsewhere: false,
      },
    ]);
  });

  it('counts a delivery as delivered when one owner delivered it and another parked it', () => {
    const steps = stepsFor(
      workWith([row({ owner: 'us-east-1', status: 'parked' }), row({ owner: 'eu-west-1', status: 'delivered' })]),
    );
    expect(steps[0]).toMatchObject({ kind: 'done', state: { status: 'delivered' }, elsewhere: true });
  });

  it("ignores rows an earlier incarnation of the key left behind (their window ended before this event's)", () => {
    const steps = stepsFor(workWith([row({ status: 'delivered', windowEnd: RECEIVED })]));
    expect(steps).toEqual([{ kind: 'claim', delivery: FULFILMENT, possibleRepeat: false, priorAttempts: 0 }]);
  });

  it("ignores a replay job's rows when deciding whether the delivery itself is settled", () => {
    const steps = stepsFor(workWith([row({ status: 'delivered', replayJob: 'job-1' })]));
    expect(steps[0]?.kind).toBe('claim');
  });

  it('claims again what is delivered when a replay forces it', () => {
    const steps = stepsFor(workWith([row({ status: 'delivered' })], { force: true, replayJob: 'job-2' }));
    expect(steps[0]?.kind).toBe('claim');
  });

  it('plans one step per planned delivery, in order', () => {
    const analytics = buildPlannedDelivery('analytics', 'us-east-1');
    const steps = stepsFor(workWith([row({ status: 'delivered' })]), [analytics, FULFILMENT]);
    expect(steps.map((s) => s.kind)).toEqual(['claim', 'done']);
  });
});

describe('planSteps: claims that may repeat a send', () => {
  it.each(['claimed', 'waiting'] as const)(
    "marks a claim over another owner's %s row as a possible repeat",
    (status) => {
      const steps = stepsFor(workWith([row({ owner: 'eu-west-1', status, attempts: 2 })]));
      expect(steps).toEqual([{ kind: 'claim', delivery: FULFILMENT, possibleRepeat: true, priorAttempts: 2 }]);
    },
  );

  it("does not count another owner's hold as a possible send: a hold's token is known not sent", () => {
    const hold = row({ owner: 'eu-west-1', status: 'waiting', token: 't-1', failedToken: 't-1', attempts: 1 });
    const steps = stepsFor(workWith([hold]));
    expect(steps).toEqual([{ kind: 'claim', delivery: FULFILMENT, possibleRepeat: false, priorAttempts: 0 }]);
  });

  it('does not mark a claim over its own open row as a possible repeat (the claim decides that)', () => {
    const steps = stepsFor(workWith([row({ owner: 'us-east-1', status: 'claimed' })]));
    expect(steps).toEqual([{ kind: 'claim', delivery: FULFILMENT, possibleRepeat: false, priorAttempts: 0 }]);
  });
});

describe('planSteps: holds', () => {
  it('parks a blocked delivery at once, with the block as the reason', () => {
    // Prepare
    const blocked = { ...FULFILMENT, blocked: { reason: 'residency-blocked' as const, message: 'no bus in zone' } };

    // Act
    const steps = stepsFor(workWith(), [blocked]);

    // Assess
    expect(steps).toEqual([
      {
        kind: 'hold',
        delivery: blocked,
        status: 'parked',
        error: 'residency-blocked: no bus in zone',
        due: new Date(NOW).toISOString(),
      },
    ]);
  });

  const waiting: PlannedDelivery = {
    ...FULFILMENT,
    waiting: { reason: 'region-unavailable', message: 'fulfilment in us-east-1 is unavailable' },
  };

  it('lets a waiting delivery wait, due after the base wait and a jittered backoff', () => {
    // Act: random 0.5 over a first attempt's ceiling of min(5 min, 5 s × 2) gives 5 s of jitter
    const steps = stepsFor(workWith(), [waiting]);

    // Assess
    expect(steps).toEqual([
      {
        kind: 'hold',
        delivery: waiting,
        status: 'waiting',
        error: 'region-unavailable: fulfilment in us-east-1 is unavailable',
        due: new Date(NOW + 5_000 + 5_000).toISOString(),
      },
    ]);
  });

  it('backs off further with every attempt this owner made', () => {
    const steps = stepsFor(workWith([row({ status: 'waiting', attempts: 3 })]), [waiting]);
    expect(steps[0]).toMatchObject({ kind: 'hold', due: new Date(NOW + 5_000 + 20_000).toISOString() });
  });

  it("waits at least until the target's open breaker lets a probe through", () => {
    // Prepare: a breaker that cools down for a minute, longer than the wait alone would be
    const breakers = createBreakers({ ...DEFAULT_BREAKER_SETTINGS, baseCooldownMs: 60_000 }, () => NOW);
    for (let i = 0; i < 5; i += 1) breakers.record('fulfilment', 'us-east-1', false);
    const retryAt = breakers.retryAt('fulfilment', 'us-east-1') ?? 0;

    // Act
    const steps = planSteps(workWith(), [waiting], createDeliveryDeps({ now: NOW, overrides: { breakers } }).deps);

    // Assess
    expect(retryAt).toBeGreaterThan(NOW + 10_000);
    expect(steps[0]).toMatchObject({ kind: 'hold', status: 'waiting', due: new Date(retryAt).toISOString() });
  });

  it('parks a delivery that has waited past the horizon since its first claim', () => {
    // Prepare
    const firstClaimedAt = new Date(NOW - 25 * HOUR).toISOString();

    // Act
    const steps = stepsFor(workWith([row({ status: 'waiting', firstClaimedAt })]), [waiting]);

    // Assess
    expect(steps[0]).toMatchObject({
      kind: 'hold',
      status: 'parked',
      error: 'waited past the 24 h horizon: region-unavailable: fulfilment in us-east-1 is unavailable',
      due: new Date(NOW).toISOString(),
    });
  });

  it('counts the horizon from when the event arrived when this owner never claimed it', () => {
    const justInside = stepsFor(workWith(), [waiting], RECEIVED + 24 * HOUR);
    const pastIt = stepsFor(workWith(), [waiting], RECEIVED + 24 * HOUR + 1);
    expect(justInside[0]).toMatchObject({ status: 'waiting' });
    expect(pastIt[0]).toMatchObject({ status: 'parked' });
  });
});
