import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../shared/domain/event-pattern';
import { MAX_NESTED_ARRAYS } from '../../../shared/domain/event-pattern/flatten-event';
import { PATTERN_LIMITS } from '../../../shared/domain/event-pattern/parse-pattern';
import { anEvent, rejectionReason } from './pattern-test-kit';

const DEEP = 100_000;

/** `{"a": {"a": ... bottom}}`, `levels` objects deep. */
const nestedObjects = (levels: number, bottom: unknown): unknown => {
  let value = bottom;
  for (let level = 0; level < levels; level += 1) value = { a: value };
  return value;
};

/** `[[[ ... bottom ]]]`, `levels` arrays deep. */
const nestedArrays = (levels: number, bottom: unknown): unknown => {
  let value = bottom;
  for (let level = 0; level < levels; level += 1) value = [value];
  return value;
};

describe('matching hostile events', () => {
  it(`matches an event whose detail nests ${DEEP.toLocaleString('en')} objects deep`, () => {
    const pattern = compileEventPattern({ detail: { a: { a: ['x'] } } });
    const hit = anEvent({ a: { a: 'x', deeper: nestedObjects(DEEP, 'x') } });
    const miss = anEvent(nestedObjects(DEEP, 'x') as Record<string, unknown>);

    expect(pattern.matches(hit)).toBe(true);
    expect(pattern.matches(miss)).toBe(false);
  });

  it(`reads the pattern's depth of ${DEEP.toLocaleString('en')} nested objects and no further`, () => {
    const pattern = compileEventPattern({ detail: { a: { a: { a: [{ exists: true }] } } } });

    const matched = pattern.matches(anEvent(nestedObjects(DEEP, 'bottom') as Record<string, unknown>));

    expect(matched).toBe(false);
    expect(pattern.matches(anEvent(nestedObjects(3, 'bottom') as Record<string, unknown>))).toBe(true);
  });

  it(`survives ${DEEP.toLocaleString('en')} directly nested arrays`, () => {
    const pattern = compileEventPattern({ detail: { list: ['x'] } });

    const matched = pattern.matches(anEvent({ list: nestedArrays(DEEP, 'x') }));

    expect(matched).toBe(false);
  });

  it('finds a value inside nested arrays, as event-ruler does, up to the nesting bound', () => {
    const pattern = compileEventPattern({ detail: { list: ['x'] } });

    const withinBound = pattern.matches(anEvent({ list: nestedArrays(MAX_NESTED_ARRAYS, 'x') }));
    const pastBound = pattern.matches(anEvent({ list: nestedArrays(MAX_NESTED_ARRAYS + 1, 'x') }));

    expect(withinBound).toBe(true);
    expect(pastBound).toBe(false);
  });

  it('keeps array consistency for objects inside nested arrays', () => {
    const pattern = compileEventPattern({ detail: { items: { kind: ['book'], price: [10] } } });
    const items = [[{ kind: 'book', price: 20 }], [{ kind: 'pen', price: 10 }]];

    const matched = pattern.matches(anEvent({ items }));

    expect(matched).toBe(false);
    expect(pattern.matches(anEvent({ items: [[{ kind: 'book', price: 10 }]] }))).toBe(true);
  });

  it('terminates on an object graph that contains itself', () => {
    const detail: Record<string, unknown> = { state: 'on' };
    detail.self = detail;
    const list: unknown[] = ['on'];
    list.push(list);
    const pattern = compileEventPattern({ detail: { self: { self: { state: ['on'] } }, list: ['on'] } });

    const matched = pattern.matches(anEvent({ ...detail, list }));

    expect(matched).toBe(true);
  });
});

describe('compiling hostile patterns', () => {
  it(`refuses a pattern object nested ${DEEP.toLocaleString('en')} deep`, () => {
    const deep = nestedObjects(DEEP, ['x']) as Record<string, unknown>;

    const reason = rejectionReason(deep);

    expect(reason).toBe(`Pattern is nested deeper than ${PATTERN_LIMITS.maxDepth} levels`);
  });

  it('refuses pattern text nested past the limit, by size when it is also too large to parse', () => {
    const small = `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const large = `${'{"a":'.repeat(DEEP)}["x"]${'}'.repeat(DEEP)}`;

    const smallReason = rejectionReason(small);
    const largeReason = rejectionReason(large);

    expect(smallReason).toBe(`Pattern is nested deeper than ${PATTERN_LIMITS.maxDepth} levels`);
    expect(largeReason).toBe(`Pattern is larger than ${PATTERN_LIMITS.maxBytes} bytes`);
  });

  it('accepts a pattern nested as deep as the limit allows', () => {
    const pattern = compileEventPattern(nestedObjects(PATTERN_LIMITS.maxDepth - 1, ['x']) as object);

    const matched = pattern.matches(nestedObjects(PATTERN_LIMITS.maxDepth - 1, 'x'));

    expect(matched).toBe(true);
  });

  it('refuses a pattern larger than the size limit before parsing it', () => {
    const huge = { source: Array.from({ length: 10_000 }, (_, index) => `source-${index}`) };

    const fromObject = rejectionReason(huge);
    const fromText = rejectionReason(JSON.stringify(huge));

    const reason = `Pattern is larger than ${PATTERN_LIMITS.maxBytes} bytes`;
    expect(fromObject).toBe(reason);
    expect(fromText).toBe(reason);
  });

  it('refuses a pattern object that contains itself', () => {
    const pattern: Record<string, unknown> = { source: ['aws.ec2'] };
    pattern.detail = pattern;

    const reason = rejectionReason(pattern);

    expect(reason).toMatch(/^Pattern is not JSON: The value is circular/);
  });
});
