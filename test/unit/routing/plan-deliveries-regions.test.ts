import { describe, expect, it } from 'vitest';
import type { CatalogDocument } from '../../../shared/domain/catalog';
import { planDeliveries, type PlanInput } from '../../../shared/domain/routing/plan-deliveries';
import { buildInboxItem, buildPaymentItem, sampleCatalog, sampleCatalogWith } from '../../helpers/factories';

const everywhere: PlanInput['usable'] = () => true;
const downIn =
  (...regions: string[]): PlanInput['usable'] =>
  (_target, region) =>
    !regions.includes(region);

const summary = (plan: ReturnType<typeof planDeliveries>) =>
  plan.map((d) => {
    const reason = d.blocked?.reason ?? d.waiting?.reason;
    return `${d.to} → ${d.region}${reason ? ` (${reason})` : ''}`;
  });

const route = (doc: CatalogDocument, index: number) => doc.routes[index] as CatalogDocument['routes'][number];
const bigOrder = (home = 'us-east-1') => buildInboxItem({ home, detailObject: { orderId: 'o-1', total: 1500 } });

describe('planDeliveries: fanout placement', () => {
  it('delivers one copy per target region inside the zone, each pinned to its region', () => {
    // Act
    const plan = planDeliveries({ item: buildPaymentItem(), catalog: sampleCatalog(), usable: everywhere });

    // Assess
    expect(plan.map((d) => [d.to, d.placement, d.region, d.bus])).toEqual([
      ['ledger-sync#eu-west-1', 'eu-west-1', 'eu-west-1', 'ledger-sync'],
      ['ledger-sync#us-east-1', 'us-east-1', 'us-east-1', 'ledger-sync'],
    ]);
  });

  it('lets the copy for an unusable region wait, and sends the others', () => {
    // Act
    const plan = planDeliveries({ item: buildPaymentItem(), catalog: sampleCatalog(), usable: downIn('eu-west-1') });

    // Assess
    expect(summary(plan)).toEqual([
      'ledger-sync#eu-west-1 → eu-west-1 (region-unavailable)',
      'ledger-sync#us-east-1 → us-east-1',
    ]);
    expect(plan[0]?.waiting?.message).toBe('ledger-sync in eu-west-1 is unavailable');
  });

  it('leaves out target regions outside the residency zone', () => {
    // Prepare: fulfilment also has a bus in ap-southeast-2, outside the transatlantic zone
    const catalog = sampleCatalogWith((doc) => {
      route(doc, 2).targets = ['fulfilment'];
    });

    // Act
    const plan = planDeliveries({ item: buildPaymentItem(), catalog, usable: everywhere });

    // Assess
    expect(summary(plan)).toEqual(['fulfilment#eu-west-1 → eu-west-1', 'fulfilment#us-east-1 → us-east-1']);
  });
});

describe('planDeliveries: pinned placement', () => {
  it('delivers only to the listed regions, alongside the local delivery of another route', () => {
    const plan = planDeliveries({ item: bigOrder('eu-west-1'), catalog: sampleCatalog(), usable: everywhere });
    expect(plan.map((d) => [d.to, d.region, d.routes])).toEqual([
      ['analytics#us-east-1', 'us-east-1', ['big-orders-to-analytics']],
      ['fulfilment#local', 'eu-west-1', ['orders-to-fulfilment']],
    ]);
  });

  it('lets a pinned copy wait for its unusable region instead of failing over', () => {
    const plan = planDeliveries({ item: bigOrder(), catalog: sampleCatalog(), usable: downIn('us-east-1') });
    expect(summary(plan)).toEqual([
      'analytics#us-east-1 → us-east-1 (region-unavailable)',
      'fulfilment#local → eu-west-1',
    ]);
  });

  it("blocks a pinned region outside the event's residency zone", () => {
    // Prepare: payments (transatlantic) pinned to ap-southeast-2 and us-east-1
    const catalog = sampleCatalogWith((doc) => {
      doc.routes.push({
        name: 'payments-to-apac',
        tenant: 'payments',
        pattern: { source: ['com.switchyard.payments'] },
        targets: ['fulfilment'],
        mode: 'pinned',
        regions: ['ap-southeast-2', 'us-east-1'],
      });
    });

    // Act
    const plan = planDeliveries({ item: buildPaymentItem(), catalog, usable: downIn('ap-southeast-2') });

    // Assess
    expect(summary(plan)).toEqual([
      'fulfilment#ap-southeast-2 → ap-southeast-2 (residency-blocked)',
      'fulfilment#us-east-1 → us-east-1',
      'ledger-sync#eu-west-1 → eu-west-1',
      'ledger-sync#us-east-1 → us-east-1',
    ]);
    expect(plan[0]?.blocked?.message).toBe("ap-southeast-2 is outside the event's residency zone");
    expect(plan[0]).not.toHaveProperty('waiting');
  });
});

describe('planDeliveries: local next to a copy for the home region', () => {
  const withLocalAnalytics = () =>
    sampleCatalogWith((doc) => {
      route(doc, 0).targets = ['fulfilment', 'analytics'];
    });

  it('drops the local delivery when another route already delivers the target to the home region', () => {
    const plan = planDeliveries({ item: bigOrder('us-east-1'), catalog: withLocalAnalytics(), usable: everywhere });
    expect(summary(plan)).toEqual(['analytics#us-east-1 → us-east-1', 'fulfilment#local → us-east-1']);
  });

  it('keeps the local delivery when the other route delivers the target to another region', () => {
    const plan = planDeliveries({ item: bigOrder('eu-west-1'), catalog: withLocalAnalytics(), usable: everywhere });
    expect(summary(plan)).toEqual([
      'analytics#local → eu-west-1',
      'analytics#us-east-1 → us-east-1',
      'fulfilment#local → eu-west-1',
    ]);
  });
});
