import { describe, expect, it } from 'vitest';
import { quorumVerdict, type Judgement, type RegionState } from '../../../shared/domain/health';
import { REGION, T0 } from './health-test-kit';

/** One observer's judgement of us-east-1. */
const saying = (state: RegionState): Judgement => ({ region: REGION, state, since: T0, history: [] });

describe('quorumVerdict', () => {
  it('fails a region when a majority of all regions judge it failed', () => {
    expect(quorumVerdict([saying('failed'), saying('failed'), saying('healthy')], 3)).toBe('failed');
  });

  it('does not let one partitioned observer fail a region the others see healthy', () => {
    // Prepare: eu-west-1 cannot reach us-east-1; ap-southeast-2 and us-east-1 itself can
    const answers = [saying('healthy'), saying('failed'), saying('healthy')];

    // Act
    const verdict = quorumVerdict(answers, 3);

    // Assess
    expect(verdict).toBe('healthy');
  });

  it('needs a majority of all regions, not of the answers: two of five failing answers are not enough', () => {
    expect(quorumVerdict([saying('failed'), saying('failed'), undefined, undefined, undefined], 5)).toBe('unknown');
  });

  it('answers unknown when no region answered', () => {
    expect(quorumVerdict([undefined, undefined, undefined], 3)).toBe('unknown');
  });

  it('gives the most common other state when failure has no majority', () => {
    const answers = [saying('failed'), saying('degraded'), saying('degraded'), saying('healthy'), undefined];
    expect(quorumVerdict(answers, 5)).toBe('degraded');
  });

  it('breaks a tie towards the more cautious state', () => {
    expect(quorumVerdict([saying('healthy'), saying('recovering'), undefined, undefined], 4)).toBe('recovering');
    expect(quorumVerdict([saying('healthy'), saying('degraded')], 2)).toBe('degraded');
  });

  it('counts fenced answers towards a failure majority', () => {
    expect(quorumVerdict([saying('fenced'), saying('failed'), saying('healthy')], 3)).toBe('failed');
  });

  it('reports fenced when a majority says so', () => {
    expect(quorumVerdict([saying('fenced'), saying('fenced'), undefined], 3)).toBe('fenced');
  });

  it('does not report a minority fenced answer as the verdict', () => {
    expect(quorumVerdict([saying('fenced'), saying('healthy'), saying('healthy')], 3)).toBe('healthy');
  });

  it('refuses more answers than there are regions', () => {
    expect(() => quorumVerdict([saying('failed'), saying('failed'), saying('failed')], 2)).toThrow(RangeError);
  });
});
