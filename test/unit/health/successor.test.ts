import { describe, expect, it } from 'vitest';
import { successorOf, type RegionState } from '../../../shared/domain/health';

const GLOBAL_ZONE = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

const states =
  (known: Record<string, RegionState>) =>
  (region: string): RegionState | 'unknown' =>
    known[region] ?? 'unknown';

describe('successorOf', () => {
  it('picks the first healthy region in the zone order, other than the home', () => {
    // Prepare
    const stateOf = states({ 'us-east-1': 'failed', 'eu-west-1': 'healthy', 'ap-southeast-2': 'healthy' });

    // Act
    const successor = successorOf(GLOBAL_ZONE, 'us-east-1', stateOf);

    // Assess
    expect(successor).toBe('eu-west-1');
  });

  it('follows the zone order, not the position of the home', () => {
    const stateOf = states({ 'us-east-1': 'healthy', 'eu-west-1': 'healthy', 'ap-southeast-2': 'failed' });
    expect(successorOf(GLOBAL_ZONE, 'ap-southeast-2', stateOf)).toBe('us-east-1');
  });

  it('accepts a degraded region: a failing target is not a region failure', () => {
    const stateOf = states({ 'us-east-1': 'failed', 'eu-west-1': 'degraded', 'ap-southeast-2': 'healthy' });
    expect(successorOf(GLOBAL_ZONE, 'us-east-1', stateOf)).toBe('eu-west-1');
  });

  it.each<RegionState | 'unknown'>(['failed', 'recovering', 'fenced', 'unknown'])(
    'skips a region that is %s',
    (state) => {
      const stateOf = states({
        'us-east-1': 'failed',
        'ap-southeast-2': 'healthy',
        ...(state === 'unknown' ? {} : { 'eu-west-1': state }),
      });
      expect(successorOf(GLOBAL_ZONE, 'us-east-1', stateOf)).toBe('ap-southeast-2');
    },
  );

  it('returns no successor when no other region of the zone is healthy: the zone waits', () => {
    const stateOf = states({ 'us-east-1': 'failed', 'eu-west-1': 'failed', 'ap-southeast-2': 'recovering' });
    expect(successorOf(GLOBAL_ZONE, 'us-east-1', stateOf)).toBeUndefined();
  });

  it('returns no successor for a zone of one region', () => {
    expect(successorOf(['eu-west-1'], 'eu-west-1', () => 'healthy')).toBeUndefined();
  });
});
