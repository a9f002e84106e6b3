import { describe, expect, it } from 'vitest';
import { planLeases, type LeasePlanInput, type PeerView } from '../../../shared/domain/health/plan-leases';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
/** The sample stage's zones: every region, the two Atlantic ones, and eu-west-1 alone. */
const ZONES: LeasePlanInput['zones'] = new Map([
  ['global', ['us-east-1', 'eu-west-1', 'ap-southeast-2']],
  ['transatlantic', ['us-east-1', 'eu-west-1']],
  ['eu', ['eu-west-1']],
]);

/** The plan input of `region` with every region healthy and ready, nothing held, nothing orphaned. */
const planFor = (
  region: string,
  {
    peers = {},
    ...overrides
  }: Partial<Omit<LeasePlanInput, 'peers'>> & { peers?: Record<string, Partial<PeerView>> } = {},
) =>
  planLeases({
    region,
    zones: ZONES,
    peers: new Map(REGIONS.map((r) => [r, { state: 'healthy', ready: true, ...peers[r] } as PeerView])),
    selfReady: true,
    held: new Map(),
    orphaned: new Set(),
    ...overrides,
  });

const held = (...entries: Array<[string, number]>) => new Map(entries);

describe('planLeases: its own home', () => {
  it('acquires its own home in every zone it belongs to once it is ready', () => {
    expect(planFor('us-east-1')).toEqual([
      { zone: 'global', home: 'us-east-1', action: 'acquire', reason: 'own home' },
      { zone: 'transatlantic', home: 'us-east-1', action: 'acquire', reason: 'own home' },
    ]);
  });

  it('does not take its own home while it is not ready', () => {
    expect(planFor('us-east-1', { selfReady: false })).toEqual([]);
  });

  it('renews its own home under the epoch it holds', () => {
    // Act
    const plan = planFor('eu-west-1', { held: held(['global#eu-west-1', 4], ['eu#eu-west-1', 9]) });

    // Assess
    expect(plan).toEqual([
      { zone: 'global', home: 'eu-west-1', action: 'renew', epoch: 4 },
      { zone: 'transatlantic', home: 'eu-west-1', action: 'acquire', reason: 'own home' },
      { zone: 'eu', home: 'eu-west-1', action: 'renew', epoch: 9 },
    ]);
  });

  it('drops its own home at once when an operator fences it, and takes nothing', () => {
    // Act
    const plan = planFor('us-east-1', {
      held: held(['global#us-east-1', 2]),
      peers: { 'us-east-1': { fence: 'fence' } },
    });

    // Assess
    expect(plan).toEqual([
      { zone: 'global', home: 'us-east-1', action: 'drop', reason: 'this region is fenced by an operator' },
    ]);
  });

  it('lets its own home expire, routing until then, when an operator drains it', () => {
    // Act
    const plan = planFor('us-east-1', {
      held: held(['global#us-east-1', 2]),
      peers: { 'us-east-1': { fence: 'drain' } },
    });

    // Assess
    expect(plan).toEqual([
      { zone: 'global', home: 'us-east-1', action: 'let-expire', reason: 'this region is being drained' },
    ]);
  });
});

describe('planLeases: taking over a home that is down', () => {
  it("takes over a failed home in each zone where it is the home's successor", () => {
    const plan = planFor('eu-west-1', {
      held: held(['global#eu-west-1', 1], ['transatlantic#eu-west-1', 1], ['eu#eu-west-1', 1]),
      peers: { 'us-east-1': { state: 'failed', ready: false } },
    });
    expect(plan.filter((a) => a.action === 'acquire')).toEqual([
      { zone: 'global', home: 'us-east-1', action: 'acquire', reason: 'takeover' },
      { zone: 'transatlantic', home: 'us-east-1', action: 'acquire', reason: 'takeover' },
    ]);
  });

  it('leaves a failed home to its successor when it is not the successor', () => {
    const plan = planFor('ap-southeast-2', {
      held: held(['global#ap-southeast-2', 1]),
      peers: { 'us-east-1': { state: 'failed' } },
    });
    expect(plan).toEqual([{ zone: 'global', home: 'ap-southeast-2', action: 'renew', epoch: 1 }]);
  });

  it('becomes the successor when the regions before it in the zone order are down too', () => {
    // Act
    const plan = planFor('ap-southeast-2', {
      peers: { 'us-east-1': { state: 'failed' }, 'eu-west-1': { state: 'failed' } },
    });

    // Assess: ap-southeast-2 is in no zone with us-east-1 or eu-west-1 other than global
    expect(plan.filter((a) => a.home !== 'ap-southeast-2')).toEqual([
      { zone: 'global', home: 'us-east-1', action: 'acquire', reason: 'takeover' },
      { zone: 'global', home: 'eu-west-1', action: 'acquire', reason: 'takeover' },
    ]);
  });

  it('takes over the home of a region an operator fenced, though its health looks fine', () => {
    const plan = planFor('eu-west-1', { peers: { 'us-east-1': { fence: 'fence' } } });
    expect(plan).toContainEqual({ zone: 'global', home: 'us-east-1', action: 'acquire', reason: 'takeover' });
  });

  it.each(['degraded', 'recovering', 'unknown'] as const)('does not take over a home that is %s', (state) => {
    const plan = planFor('eu-west-1', { peers: { 'us-east-1': { state } } });
    expect(plan.filter((a) => a.home === 'us-east-1')).toEqual([]);
  });

  it('takes over an orphaned lease, one nobody renews, as the successor of a healthy home', () => {
    const plan = planFor('eu-west-1', { orphaned: new Set(['transatlantic#us-east-1']) });
    expect(plan.filter((a) => a.home === 'us-east-1')).toEqual([
      { zone: 'transatlantic', home: 'us-east-1', action: 'acquire', reason: 'orphaned' },
    ]);
  });

  it('leaves an orphaned lease to the successor', () => {
    const plan = planFor('ap-southeast-2', { orphaned: new Set(['global#us-east-1']) });
    expect(plan.filter((a) => a.home === 'us-east-1')).toEqual([]);
  });

  it.each(['fence', 'drain'] as const)('takes over nothing while an operator has it on %s', (fence) => {
    const plan = planFor('eu-west-1', { peers: { 'us-east-1': { state: 'failed' }, 'eu-west-1': { fence } } });
    expect(plan.filter((a) => a.action === 'acquire')).toEqual([]);
  });
});

describe('planLeases: handing a home back', () => {
  const holdingUsEast = held(['global#us-east-1', 5]);

  it('hands a held home back once the home is healthy and ready', () => {
    const plan = planFor('eu-west-1', { held: holdingUsEast });
    expect(plan.filter((a) => a.home === 'us-east-1')).toEqual([
      {
        zone: 'global',
        home: 'us-east-1',
        action: 'drop',
        reason: 'us-east-1 is healthy again: handing its events back',
      },
    ]);
  });

  it.each([
    ['healthy but not caught up', { state: 'healthy', ready: false }],
    ['recovering', { state: 'recovering', ready: true }],
    ['still failed', { state: 'failed', ready: false }],
    ['fenced, though healthy and ready', { state: 'healthy', ready: true, fence: 'fence' }],
  ] as const)('keeps renewing a held home that is %s', (_name, view) => {
    const plan = planFor('eu-west-1', { held: holdingUsEast, peers: { 'us-east-1': view } });
    expect(plan.filter((a) => a.zone === 'global' && a.home === 'us-east-1')).toEqual([
      { zone: 'global', home: 'us-east-1', action: 'renew', epoch: 5 },
    ]);
  });

  it('drops a taken-over home at once when an operator fences this region', () => {
    const plan = planFor('eu-west-1', {
      held: holdingUsEast,
      peers: { 'us-east-1': { state: 'failed' }, 'eu-west-1': { fence: 'fence' } },
    });
    expect(plan).toContainEqual({
      zone: 'global',
      home: 'us-east-1',
      action: 'drop',
      reason: 'this region is fenced by an operator',
    });
  });
  it('lets a taken-over home expire, like its own, when an operator drains this region', () => {
    // Act
    const plan = planFor('eu-west-1', {
      held: holdingUsEast,
      peers: { 'us-east-1': { state: 'failed' }, 'eu-west-1': { fence: 'drain' } },
    });

    // Assess: the next successor takes it over once the lease runs out
    expect(plan.filter((a) => a.home === 'us-east-1')).toEqual([
      { zone: 'global', home: 'us-east-1', action: 'let-expire', reason: 'this region is being drained' },
    ]);
  });
});

describe('planLeases: zones', () => {
  it('never acts on a zone the region is not in, whatever it is told it holds', () => {
    // Act
    const plan = planFor('us-east-1', {
      held: held(['eu#eu-west-1', 3]),
      peers: { 'eu-west-1': { state: 'failed' } },
      orphaned: new Set(['eu#eu-west-1']),
    });

    // Assess
    expect(plan.some((a) => a.zone === 'eu')).toBe(false);
  });

  it('plans nothing for a region in no zone', () => {
    expect(planFor('sa-east-1', { peers: { 'us-east-1': { state: 'failed' } } })).toEqual([]);
  });
});
