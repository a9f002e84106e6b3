import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/domain/errors';
import {
  compileEventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
} from '../../../shared/domain/event-pattern';

describe('compileEventPattern', () => {
  it('accepts the same pattern as JSON text or as an object', () => {
    const event = { source: 'aws.ec2' };

    expect(compileEventPattern('{"source": ["aws.ec2"]}').matches(event)).toBe(true);
    expect(compileEventPattern({ source: ['aws.ec2'] }).matches(event)).toBe(true);
  });

  it('can be reused across many events', () => {
    const pattern = compileEventPattern({ n: [{ numeric: ['>', 1] }] });

    const results = [0, 1, 2, 3].map((n) => pattern.matches({ n }));

    expect(results).toEqual([false, false, true, true]);
  });

  it('leaves the pattern object and the event untouched', () => {
    const patternObject = { detail: { $or: [{ a: [1] }, { b: [2] }] } };
    const event = { detail: { a: 1, list: [{ x: 1 }] } };
    const patternCopy = structuredClone(patternObject);
    const eventCopy = structuredClone(event);

    compileEventPattern(patternObject).matches(event);

    expect(patternObject).toEqual(patternCopy);
    expect(event).toEqual(eventCopy);
  });

  it('does not read parts of the event the pattern never names', () => {
    const pattern = compileEventPattern({ detail: { state: ['running'] } });
    const unrelated = {
      get payload(): never {
        throw new Error('read an unrelated subtree');
      },
    };

    const matched = pattern.matches({ detail: { state: 'running' }, unrelated });

    expect(matched).toBe(true);
  });

  it('raises InvalidEventPatternError, a DomainError carrying the AWS-style reason and code', () => {
    const act = () => compileEventPattern({ source: 'aws.ec2' });

    expect(act).toThrow(InvalidEventPatternError);
    try {
      act();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: 'InvalidEventPattern',
        name: 'InvalidEventPatternError',
        reason: '"source" must be an object or an array',
        message: 'Event pattern is not valid. Reason: "source" must be an object or an array',
      });
    }
  });

  it('keeps the JSON parser error as the cause of a malformed-text rejection', () => {
    try {
      compileEventPattern('{not json');
      expect.unreachable('the pattern should have been rejected');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEventPatternError);
      expect((error as InvalidEventPatternError).cause).toBeInstanceOf(SyntaxError);
    }
  });

  it('accepts operator names as ordinary field names outside $or', () => {
    const pattern = compileEventPattern({ prefix: ['x'], numeric: [1] });

    expect(pattern.matches({ prefix: 'x', numeric: 1 })).toBe(true);
  });

  it('keeps the last of duplicate keys in pattern text', () => {
    const pattern = compileEventPattern('{"source": ["aws.s3"], "source": ["aws.ec2"]}');

    expect(pattern.matches({ source: 'aws.ec2' })).toBe(true);
    expect(pattern.matches({ source: 'aws.s3' })).toBe(false);
  });

  it('lets a later mention of the same path replace an earlier one, as event-ruler does', () => {
    const pattern = compileEventPattern({ 'detail.state': ['a'], detail: { state: ['b'] } });

    expect(pattern.matches({ detail: { state: 'b' } })).toBe(true);
    expect(pattern.matches({ detail: { state: 'a' } })).toBe(false);
  });
});

describe('matchesEventPattern', () => {
  it('tests one event in a single call', () => {
    expect(matchesEventPattern({ source: ['aws.ec2'] }, { source: 'aws.ec2' })).toBe(true);
    expect(matchesEventPattern({ source: ['aws.ec2'] }, { source: 'aws.s3' })).toBe(false);
  });

  it('throws for an invalid pattern rather than reporting no match', () => {
    expect(() => matchesEventPattern({ source: [] }, { source: 'aws.ec2' })).toThrow(InvalidEventPatternError);
  });
});
