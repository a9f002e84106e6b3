import { describe, expect, it } from 'vitest';
import type { Judgement, RegionState } from '../../../shared/domain/health';
import { createRegionView } from '../../../shared/services/region-view';

const judgement = (region: string, state: RegionState): Judgement => ({ region, state, since: 0, history: [] });

/** The `all` judgement item of this region's coord table, as the health function writes it. */
const judgementsItem = (states: Record<string, RegionState>) => ({
  pk: 'judgement',
  sk: 'all',
  at: '2026-11-27T10:00:00.000Z',
  judgements: Object.fromEntries(Object.entries(states).map(([region, state]) => [region, judgement(region, state)])),
});

const createFixture = (items: Record<string, unknown>[], cacheMs = 1_000) => {
  let now = 0;
  let stored = items;
  let reads = 0;
  let failing = false;
  const view = createRegionView({
    coord: {
      readJudgements: async () => {
        reads += 1;
        if (failing) throw new Error('coord table unreachable');
        return stored;
      },
    },
    now: () => now,
    cacheMs,
  });
  return {
    view,
    reads: () => reads,
    advance: (ms: number) => {
      now += ms;
    },
    write: (next: Record<string, unknown>[]) => {
      stored = next;
    },
    fail: (on: boolean) => {
      failing = on;
    },
  };
};

describe('createRegionView', () => {
  it('tries every region before it has read any judgement', () => {
    const { view } = createFixture([]);
    expect(view.usable('us-east-1')).toBe(true);
  });

  it('holds deliveries back only from failed and fenced regions', async () => {
    // Prepare
    const { view } = createFixture([
      judgementsItem({
        'us-east-1': 'healthy',
        'eu-west-1': 'failed',
        'ap-southeast-2': 'fenced',
        'sa-east-1': 'degraded',
        'ca-central-1': 'recovering',
      }),
    ]);

    // Act
    await view.refresh();

    // Assess
    expect(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1', 'ca-central-1'].map(view.usable)).toEqual([
      true,
      false,
      false,
      true,
      true,
    ]);
    expect(view.usable('me-south-1')).toBe(true);
  });

  it('reads only the item holding every judgement', async () => {
    // Prepare: a stray item for one region that says eu-west-1 failed
    const { view } = createFixture([
      { pk: 'judgement', sk: 'eu-west-1', judgements: { x: judgement('eu-west-1', 'failed') } },
      judgementsItem({ 'eu-west-1': 'healthy' }),
    ]);

    // Act
    await view.refresh();

    // Assess
    expect(view.usable('eu-west-1')).toBe(true);
  });

  it('reads the judgements again only once the cache period has passed', async () => {
    // Prepare
    const fixture = createFixture([judgementsItem({ 'eu-west-1': 'healthy' })], 1_000);
    await fixture.view.refresh();
    fixture.write([judgementsItem({ 'eu-west-1': 'failed' })]);

    // Act
    fixture.advance(999);
    await fixture.view.refresh();
    const beforeExpiry = fixture.view.usable('eu-west-1');
    fixture.advance(1);
    await fixture.view.refresh();

    // Assess
    expect(beforeExpiry).toBe(true);
    expect(fixture.view.usable('eu-west-1')).toBe(false);
    expect(fixture.reads()).toBe(2);
  });

  it('keeps the last view when a read fails', async () => {
    // Prepare
    const fixture = createFixture([judgementsItem({ 'eu-west-1': 'failed' })], 1_000);
    await fixture.view.refresh();
    fixture.fail(true);
    fixture.advance(1_000);

    // Act
    await fixture.view.refresh();

    // Assess
    expect(fixture.reads()).toBe(2);
    expect(fixture.view.usable('eu-west-1')).toBe(false);
  });
});
