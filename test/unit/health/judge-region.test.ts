import { describe, expect, it } from 'vitest';
import { completeRecovery, judge, type RegionState } from '../../../shared/domain/health';
import { after, judgeAll, observe, REGION, settings, statesOf, T0, TICK_MS } from './health-test-kit';

const runsOf = (states: readonly RegionState[]): RegionState[] => states.filter((s, i) => s !== states[i - 1]);

describe('judge: misses and hysteresis', () => {
  it('judges a region healthy from its first ok tick', () => {
    expect(judgeAll('o')).toEqual([{ region: REGION, state: 'healthy', since: T0, history: [true] }]);
  });

  it('degrades a healthy region on a single miss, without failing it', () => {
    expect(statesOf('ooooo x')).toEqual(['healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'degraded']);
  });

  it('fails a region on the third miss within five ticks', () => {
    expect(statesOf('oo x o x o x')).toEqual([
      'healthy',
      'healthy',
      'degraded',
      'degraded',
      'degraded',
      'degraded',
      'failed',
    ]);
  });

  it('does not fail a region whose misses never reach three within five ticks', () => {
    expect(statesOf('x o o x o o x o o x')).not.toContain('failed');
  });

  it('returns a degraded region to healthy after three ok ticks in a row', () => {
    expect(statesOf('o x o o o')).toEqual(['healthy', 'degraded', 'degraded', 'degraded', 'healthy']);
  });

  it('does not flip between failed and healthy when ticks alternate ok and miss', () => {
    // Act
    const states = statesOf(`ooooo ${'xo'.repeat(10)}`);

    // Assess: it goes down once and stays failed, since three ok ticks in a row never come
    expect(runsOf(states)).toEqual(['healthy', 'degraded', 'failed']);
    expect(states.slice(-10).every((state) => state === 'failed')).toBe(true);
  });

  it.each([
    ['unreachable', 'x'],
    ['reachable with a stale heartbeat', 's'],
    ['reachable with no heartbeat yet', 'n'],
    ['reporting its DynamoDB probe failing', 'd'],
  ])('counts a tick where the region is %s as a miss', (_name, letter) => {
    expect(after(`ooo ${letter.repeat(3)}`)).toMatchObject({
      state: 'failed',
      history: [true, true, false, false, false],
    });
  });

  it('treats a heartbeat exactly heartbeatStaleMs old as fresh', () => {
    // Prepare
    const observation = { ...observe('o', 0), heartbeatAgeMs: settings.heartbeatStaleMs };

    // Act
    const judgement = judge(undefined, observation, settings, false);

    // Assess
    expect(judgement).toMatchObject({ state: 'healthy', history: [true] });
  });

  it('keeps only the last five ticks of history', () => {
    expect(after('x o o o o o o').history).toEqual([true, true, true, true, true]);
  });

  it('keeps since while the state holds and moves it when the state changes', () => {
    // Act
    const judgements = judgeAll('o o x o');

    // Assess
    expect(judgements.map((j) => j.since)).toEqual([T0, T0, T0 + 2 * TICK_MS, T0 + 2 * TICK_MS]);
  });
});

describe('judge: target buses', () => {
  it('degrades a region whose target bus fails, and never fails it for that', () => {
    expect(new Set(statesOf(`oo ${'t'.repeat(20)}`))).toEqual(new Set(['healthy', 'degraded']));
  });

  it('returns to healthy on the first tick the target buses pass: they were never misses', () => {
    expect(statesOf('o ttt o')).toEqual(['healthy', 'degraded', 'degraded', 'degraded', 'healthy']);
  });

  it('does not let a failing target bus keep a failed region from recovering', () => {
    expect(statesOf('xxx ttt').at(-1)).toBe('recovering');
  });
});

describe('judge: recovery', () => {
  it('moves a failed region to recovering after three ok ticks in a row, never to healthy', () => {
    expect(statesOf('ooo xxx oo o ooooo').slice(5)).toEqual([
      'failed',
      'failed',
      'failed',
      'recovering',
      'recovering',
      'recovering',
      'recovering',
      'recovering',
      'recovering',
    ]);
  });

  it('fails a recovering region again when it misses three of five ticks', () => {
    expect(statesOf('ooo xxx ooo xxx').slice(-4)).toEqual(['recovering', 'recovering', 'recovering', 'failed']);
  });

  it('completes a recovery: healthy from now, remembering when it recovered', () => {
    // Prepare
    const recovering = after('xxx ooo');
    const now = T0 + 60_000;

    // Act
    const healthy = completeRecovery(recovering, now);
    const later = after('x', { start: healthy, firstTick: 10 });

    // Assess
    expect(healthy).toMatchObject({ state: 'healthy', since: now, recoveredAt: now, history: recovering.history });
    expect(later).toMatchObject({ state: 'degraded', recoveredAt: now });
  });

  it('does not complete a recovery for a region that failed again meanwhile', () => {
    const failed = after('xxx ooo xxx');
    expect(completeRecovery(failed, T0 + 200_000)).toBe(failed);
  });
});

describe('judge: fencing', () => {
  const fencedFrom = (first: number, last: number) => (tick: number) => tick >= first && tick <= last;

  it('fences a region while the operator flag is set, whatever it reports', () => {
    expect(statesOf('oo ooo xxx', { fenced: fencedFrom(2, 7) })).toEqual([
      'healthy',
      'healthy',
      'fenced',
      'fenced',
      'fenced',
      'fenced',
      'fenced',
      'fenced',
    ]);
  });

  it('sends an unfenced region to recovering, not straight back to healthy', () => {
    expect(statesOf('oo oo ooo', { fenced: fencedFrom(2, 3) }).slice(3)).toEqual([
      'fenced',
      'recovering',
      'recovering',
      'recovering',
    ]);
  });

  it('fails an unfenced region whose recent ticks are mostly misses', () => {
    expect(statesOf('xxx x', { fenced: fencedFrom(0, 2) }).at(-1)).toBe('failed');
  });
});

describe('judge: settings and inputs', () => {
  it('refuses settings that need more ok ticks than the window remembers', () => {
    const observation = observe('o', 0);
    expect(() => judge(undefined, observation, { ...settings, recoverAfterOks: 6 }, false)).toThrow(RangeError);
  });

  it('refuses an observation of another region', () => {
    const previous = after('o');
    expect(() => judge(previous, { ...observe('o', 1), region: 'eu-west-1' }, settings, false)).toThrow(RangeError);
  });
});
