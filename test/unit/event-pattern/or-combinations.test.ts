import { describe, expect, it } from 'vitest';
import { compileEventPattern, MAX_COMBINATIONS } from '../../../shared/domain/event-pattern';
import { rejectionReason } from './pattern-test-kit';

describe('$or', () => {
  it('matches when any alternative matches', () => {
    const pattern = compileEventPattern({
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    });

    expect(pattern.matches({ detail: { 'c-count': 3 } })).toBe(true);
    expect(pattern.matches({ detail: { 'd-count': 9 } })).toBe(true);
    expect(pattern.matches({ detail: { 'x-limit': 301.8 } })).toBe(true);
    expect(pattern.matches({ detail: { 'c-count': 6, 'd-count': 10, 'x-limit': 300 } })).toBe(false);
  });

  it('ANDs the alternatives with the fields beside $or', () => {
    const pattern = compileEventPattern({
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    });

    expect(pattern.matches({ source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(pattern.matches({ source: 'aws.ec2', namespace: 'AWS/ES' })).toBe(false);
    expect(pattern.matches({ source: 'aws.cloudwatch', namespace: 'AWS/S3' })).toBe(false);
  });

  it('requires every field of an alternative (AND inside OR)', () => {
    const pattern = compileEventPattern({
      $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }],
    });

    expect(pattern.matches({ metricType: 'MetricType', namespace: 'AWS/EC2' })).toBe(true);
    expect(pattern.matches({ metricType: 'MetricType' })).toBe(false);
  });

  it('supports $or nested inside an alternative', () => {
    const pattern = compileEventPattern({
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization'] },
        { namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
      ],
    });

    expect(pattern.matches({ source: 'aws.cloudwatch', namespace: 'AWS/EC2', spaceId: 1000 })).toBe(true);
    expect(pattern.matches({ source: 'aws.cloudwatch', namespace: 'AWS/EC2', spaceId: 1 })).toBe(false);
    expect(pattern.matches({ source: 'aws.cloudwatch', metricName: 'CPUUtilization' })).toBe(true);
  });

  it('combines parallel $or blocks at different levels (both must hold)', () => {
    const pattern = compileEventPattern({
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    });

    expect(pattern.matches({ namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } })).toBe(
      true,
    );
    expect(pattern.matches({ namespace: 'AWS/EC2', detail: { source: 'aws.s3' } })).toBe(false);
    expect(pattern.matches({ detail: { source: 'aws.cloudwatch' } })).toBe(false);
  });

  it('can express "field missing or equal to a value" across two alternatives', () => {
    const pattern = compileEventPattern({ $or: [{ state: [{ exists: false }] }, { state: ['ok'] }] });

    expect(pattern.matches({})).toBe(true);
    expect(pattern.matches({ state: 'ok' })).toBe(true);
    expect(pattern.matches({ state: 'bad' })).toBe(false);
  });

  // event-ruler compiles with overriding on: a path repeated inside an alternative replaces the outer one.
  it('lets a path inside an alternative replace the same path outside $or', () => {
    const pattern = compileEventPattern({ a: [1], $or: [{ a: [2] }, { b: [3] }] });

    expect(pattern.matches({ a: 2 })).toBe(true);
    expect(pattern.matches({ a: 1, b: 3 })).toBe(true);
    expect(pattern.matches({ a: 1 })).toBe(false);
  });

  it(`accepts up to ${MAX_COMBINATIONS} combinations`, () => {
    const tenWays = Array.from({ length: 10 }, (_, index) => ({ [`f${index}`]: [index] }));
    const pattern = { a: { $or: tenWays }, b: { $or: tenWays }, c: { $or: tenWays } };

    expect(() => compileEventPattern(pattern)).not.toThrow();
    expect(compileEventPattern(pattern).matches({ a: { f1: 1 }, b: { f2: 2 }, c: { f9: 9 } })).toBe(true);
  });

  it(`rejects a pattern whose $or blocks multiply past ${MAX_COMBINATIONS} combinations`, () => {
    const elevenWays = Array.from({ length: 11 }, (_, index) => ({ [`f${index}`]: [index] }));
    const tenWays = elevenWays.slice(0, 10);

    const reason = rejectionReason({ a: { $or: elevenWays }, b: { $or: tenWays }, c: { $or: tenWays } });

    expect(reason).toBe('The pattern expands to more than 1000 combinations through $or');
  });
});
