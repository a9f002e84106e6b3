import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../../shared/domain/infrastructure-errors';
import { claimDeliveries } from '../../../shared/services/claim-deliveries';
import { buildInboxItem, buildPlannedDelivery } from '../../helpers/factories';
import { NOW, createClaimDeps } from '../../helpers/service-deps';

describe('claimDeliveries', () => {
  it("claims every planned delivery with its own token at the router's epoch", async () => {
    // Prepare
    const { deps, ledger } = createClaimDeps({ epoch: 4 });
    const item = buildInboxItem();
    const planned = [buildPlannedDelivery('fulfilment', 'us-east-1'), buildPlannedDelivery('analytics', 'us-east-1')];

    // Act
    const claimed = await claimDeliveries(item, planned, deps);

    // Assess
    expect(claimed.map((c) => [c.delivery.to, c.token, c.attempt, c.suspectedRedelivery])).toEqual([
      ['fulfilment#us-east-1', 'token-1', 1, false],
      ['analytics#us-east-1', 'token-2', 1, false],
    ]);
    expect(ledger.entry(item.id, 'fulfilment#us-east-1')).toMatchObject({
      status: 'claimed',
      owner: 'us-east-1',
      epoch: 4,
      token: 'token-1',
      attempts: 1,
      open: 'us-east-1',
      due: NOW.toISOString(),
      routesVersion: 1,
      expiresAt: Math.floor(NOW.getTime() / 1000) + 14 * 86_400,
    });
  });

  it('parks a blocked delivery with its reason instead of claiming it', async () => {
    // Prepare
    const { deps, ledger, metrics } = createClaimDeps();
    const item = buildInboxItem();
    const blocked = buildPlannedDelivery('fulfilment', 'eu-west-1', {
      blocked: { reason: 'region-unavailable', message: 'eu-west-1 is unavailable' },
    });

    // Act
    const claimed = await claimDeliveries(item, [blocked], deps);

    // Assess
    expect(claimed).toEqual([]);
    expect(ledger.entry(item.id, 'fulfilment#eu-west-1')).toMatchObject({
      status: 'parked',
      lastError: 'region-unavailable: eu-west-1 is unavailable',
      attempts: 0,
      open: 'eu-west-1',
    });
    expect(metrics.totals.get('Parked')).toBe(1);
  });

  it('counts a blocked delivery as parked once, even when its record is retried', async () => {
    // Prepare
    const { deps, metrics } = createClaimDeps();
    const item = buildInboxItem();
    const blocked = buildPlannedDelivery('fulfilment', 'eu-west-1', {
      blocked: { reason: 'region-unavailable', message: 'eu-west-1 is unavailable' },
    });

    // Act
    await claimDeliveries(item, [blocked], deps);
    await claimDeliveries(item, [blocked], deps);

    // Assess
    expect(metrics.totals.get('Parked')).toBe(1);
  });

  it('skips a delivery that is already delivered', async () => {
    // Prepare
    const { deps, ledger, metrics } = createClaimDeps();
    const item = buildInboxItem();
    const planned = [buildPlannedDelivery('fulfilment', 'us-east-1')];
    const [first] = await claimDeliveries(item, planned, deps);
    await ledger.confirm({
      id: item.id,
      to: 'fulfilment#us-east-1',
      token: first?.token ?? '',
      busEventId: 'b-1',
      now: NOW.toISOString(),
      redelivered: false,
    });

    // Act
    const again = await claimDeliveries(item, planned, deps);

    // Assess
    expect(again).toEqual([]);
    expect(metrics.totals.get('AlreadySettled')).toBe(1);
    expect(ledger.entry(item.id, 'fulfilment#us-east-1')?.token).toBe(first?.token);
  });

  it('leaves a delivery claimed by a router at a higher epoch alone', async () => {
    // Prepare
    const item = buildInboxItem();
    const planned = [buildPlannedDelivery('fulfilment', 'us-east-1')];
    const takeover = createClaimDeps({ owner: 'eu-west-1', epoch: 7, newToken: () => 'takeover' });
    await claimDeliveries(item, planned, takeover.deps);
    const { deps, metrics } = createClaimDeps({ ledger: takeover.ledger, epoch: 6 });

    // Act
    const claimed = await claimDeliveries(item, planned, deps);

    // Assess
    expect(claimed).toEqual([]);
    expect(metrics.totals.get('HeldByOtherOwner')).toBe(1);
    expect(takeover.ledger.entry(item.id, 'fulfilment#us-east-1')).toMatchObject({
      owner: 'eu-west-1',
      token: 'takeover',
    });
  });

  it('takes over a claim made at a lower epoch, counting the attempt', async () => {
    // Prepare
    const item = buildInboxItem();
    const planned = [buildPlannedDelivery('fulfilment', 'us-east-1')];
    const stale = createClaimDeps({ epoch: 1 });
    await claimDeliveries(item, planned, stale.deps);
    const { deps } = createClaimDeps({ ledger: stale.ledger, owner: 'eu-west-1', epoch: 2, newToken: () => 'fresh' });

    // Act
    const [claimed] = await claimDeliveries(item, planned, deps);

    // Assess
    expect(claimed).toMatchObject({ token: 'fresh', attempt: 2 });
    expect(stale.ledger.entry(item.id, 'fulfilment#us-east-1')).toMatchObject({
      owner: 'eu-west-1',
      epoch: 2,
      attempts: 2,
    });
  });

  it('fails with StoreUnavailableError when the ledger cannot be written', async () => {
    // Prepare
    const { deps, ledger } = createClaimDeps();
    ledger.failOn('claim');

    // Act
    const act = claimDeliveries(buildInboxItem(), [buildPlannedDelivery('fulfilment', 'us-east-1')], deps);

    // Assess
    await expect(act).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('claimDeliveries: a partly failed claim', () => {
  it('marks the sibling claims it made as not sent before failing', async () => {
    // Prepare
    const { deps, ledger } = createClaimDeps();
    ledger.failOn('claim', 1);
    const item = buildInboxItem();
    const planned = [buildPlannedDelivery('analytics', 'us-east-1'), buildPlannedDelivery('fulfilment', 'us-east-1')];

    // Act
    const act = claimDeliveries(item, planned, deps);

    // Assess
    await expect(act).rejects.toBeInstanceOf(StoreUnavailableError);
    const sibling = ledger.entry(item.id, 'fulfilment#us-east-1');
    expect(sibling).toMatchObject({
      status: 'claimed',
      failedToken: sibling?.token,
      lastError: expect.stringMatching(/^ClaimAborted: /),
    });
  });
});
