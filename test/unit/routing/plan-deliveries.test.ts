import { describe, expect, it } from 'vitest';
import type { CatalogDocument } from '../../../shared/domain/catalog';
import { planDeliveries, type PlanInput } from '../../../shared/domain/routing/plan-deliveries';
import {
  buildEuCustomerItem,
  buildInboxItem,
  buildPaymentItem,
  sampleCatalog,
  sampleCatalogWith,
} from '../../helpers/factories';

const everywhere: PlanInput['usable'] = () => true;
/** Usable everywhere except in the listed regions, for every target. */
const downIn =
  (...regions: string[]): PlanInput['usable'] =>
  (_target, region) =>
    !regions.includes(region);

/** A compact view of a plan: `to → region`, and `(reason)` when it waits or is blocked. */
const summary = (plan: ReturnType<typeof planDeliveries>) =>
  plan.map((d) => {
    const reason = d.blocked?.reason ?? d.waiting?.reason;
    return `${d.to} → ${d.region}${reason ? ` (${reason})` : ''}`;
  });

const route = (doc: CatalogDocument, index: number) => doc.routes[index] as CatalogDocument['routes'][number];

describe('planDeliveries: local placement', () => {
  it("delivers one logical `local` delivery to the target bus in the event's home region", () => {
    // Act
    const plan = planDeliveries({
      item: buildInboxItem({ home: 'ap-southeast-2' }),
      catalog: sampleCatalog(),
      usable: everywhere,
    });

    // Assess
    expect(plan).toEqual([
      {
        to: 'fulfilment#local',
        target: 'fulfilment',
        placement: 'local',
        region: 'ap-southeast-2',
        bus: 'fulfilment',
        routes: ['orders-to-fulfilment'],
      },
    ]);
  });

  it("moves along the target's failover order while regions are unusable, keeping its identity", () => {
    // Prepare: fulfilment fails over us-east-1, eu-west-1, ap-southeast-2
    const item = buildInboxItem({ home: 'ap-southeast-2' });

    // Act
    const homeDown = planDeliveries({ item, catalog: sampleCatalog(), usable: downIn('ap-southeast-2') });
    const twoDown = planDeliveries({ item, catalog: sampleCatalog(), usable: downIn('ap-southeast-2', 'us-east-1') });

    // Assess
    expect(summary(homeDown)).toEqual(['fulfilment#local → us-east-1']);
    expect(summary(twoDown)).toEqual(['fulfilment#local → eu-west-1']);
  });

  it('asks about each target separately, so one target’s open breaker does not move another', () => {
    // Prepare
    const catalog = sampleCatalogWith((doc) => {
      route(doc, 0).targets = ['fulfilment', 'analytics'];
    });
    const usable: PlanInput['usable'] = (target, region) => !(target === 'fulfilment' && region === 'us-east-1');

    // Act
    const plan = planDeliveries({ item: buildInboxItem(), catalog, usable });

    // Assess
    expect(summary(plan)).toEqual(['analytics#local → us-east-1', 'fulfilment#local → eu-west-1']);
  });

  it("follows the target's own failover order, not the zone's, when the home has no bus", () => {
    // Prepare: ledger-sync fails over eu-west-1 first and has no bus in ap-southeast-2
    const catalog = sampleCatalogWith((doc) => {
      route(doc, 2).mode = 'local';
    });
    const item = buildPaymentItem({ home: 'ap-southeast-2', zone: 'global' });

    // Act
    const plan = planDeliveries({ item, catalog, usable: everywhere });

    // Assess
    expect(summary(plan)).toEqual(['ledger-sync#local → eu-west-1']);
  });

  it('never fails over outside the residency zone, and waits when no zone region is usable', () => {
    // Prepare: a payment (transatlantic) routed locally to fulfilment, which also has an ap-southeast-2 bus
    const catalog = sampleCatalogWith((doc) => {
      route(doc, 2).targets = ['fulfilment'];
      route(doc, 2).mode = 'local';
    });

    // Act
    const plan = planDeliveries({ item: buildPaymentItem(), catalog, usable: downIn('us-east-1', 'eu-west-1') });

    // Assess
    expect(plan).toEqual([
      expect.objectContaining({
        to: 'fulfilment#local',
        region: 'us-east-1',
        bus: 'fulfilment',
        waiting: {
          reason: 'region-unavailable',
          message: 'no region of target fulfilment inside the residency zone is available (us-east-1, eu-west-1)',
        },
      }),
    ]);
    expect(plan[0]).not.toHaveProperty('blocked');
  });

  it('waits, instead of leaving the zone, when the only region of an EU event is unusable', () => {
    const plan = planDeliveries({ item: buildEuCustomerItem(), catalog: sampleCatalog(), usable: downIn('eu-west-1') });
    expect(summary(plan)).toEqual(['fulfilment#local → eu-west-1 (region-unavailable)']);
  });

  it('blocks for residency when the target has no bus inside the zone', () => {
    // Prepare
    const catalog = sampleCatalogWith((doc) => {
      doc.targets['us-only'] = { buses: { 'us-east-1': 'us-only' }, failover: ['us-east-1'] };
      route(doc, 3).targets = ['us-only'];
    });

    // Act
    const plan = planDeliveries({ item: buildEuCustomerItem(), catalog, usable: everywhere });

    // Assess
    expect(plan).toEqual([
      expect.objectContaining({
        to: 'us-only#local',
        region: 'eu-west-1',
        bus: '',
        blocked: {
          reason: 'residency-blocked',
          message: "target us-only has no bus inside the event's residency zone",
        },
      }),
    ]);
  });
});
