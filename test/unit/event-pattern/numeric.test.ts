import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../shared/domain/event-pattern';

const matchesNumeric = (operand: unknown[], value: unknown): boolean =>
  compileEventPattern({ detail: { n: [{ numeric: operand }] } }).matches({ detail: { n: value } });

const parsedEvent = (json: string): unknown => JSON.parse(`{"detail": {"n": ${json}}}`);

describe('numeric matching', () => {
  it('matches 3.0e2 against numeric = 300', () => {
    const pattern = compileEventPattern({ detail: { n: [{ numeric: ['=', 300] }] } });

    expect(pattern.matches(parsedEvent('3.0e2'))).toBe(true);
  });

  it('matches 300, 300.0 and 3.0e2 alike against numeric = 3.0e2', () => {
    const pattern = compileEventPattern('{"detail": {"n": [{"numeric": ["=", 3.0e2]}]}}');

    expect(pattern.matches(parsedEvent('300'))).toBe(true);
    expect(pattern.matches(parsedEvent('300.0'))).toBe(true);
    expect(pattern.matches(parsedEvent('3.0e2'))).toBe(true);
    expect(pattern.matches(parsedEvent('300.000001'))).toBe(false);
  });

  it('matches 301.8 against numeric = 3.018e2', () => {
    expect(matchesNumeric(['=', 3.018e2], 301.8)).toBe(true);
  });

  it('does not match a string that looks numeric', () => {
    expect(matchesNumeric(['=', 300], '300')).toBe(false);
    expect(matchesNumeric(['>', 0], '5')).toBe(false);
  });

  it('does not match booleans or null', () => {
    expect(matchesNumeric(['>=', 0], true)).toBe(false);
    expect(matchesNumeric(['>=', 0], null)).toBe(false);
  });

  it('does not match a missing field', () => {
    const pattern = compileEventPattern({ detail: { n: [{ numeric: ['>', 0] }] } });

    expect(pattern.matches({ detail: {} })).toBe(false);
  });

  it('excludes the bound with > and includes it with >=', () => {
    expect(matchesNumeric(['>', 0], 0)).toBe(false);
    expect(matchesNumeric(['>', 0], 0.000001)).toBe(true);
    expect(matchesNumeric(['>=', 0], 0)).toBe(true);
    expect(matchesNumeric(['>=', 0], -0.000001)).toBe(false);
  });

  it('excludes the bound with < and includes it with <=', () => {
    expect(matchesNumeric(['<', 10], 10)).toBe(false);
    expect(matchesNumeric(['<', 10], 9.999999)).toBe(true);
    expect(matchesNumeric(['<=', 10], 10)).toBe(true);
    expect(matchesNumeric(['<=', 10], 10.000001)).toBe(false);
  });

  it('matches inside a two-sided range > 0, <= 5 and nowhere else', () => {
    const operand = ['>', 0, '<=', 5];

    expect(matchesNumeric(operand, 0)).toBe(false);
    expect(matchesNumeric(operand, 0.5)).toBe(true);
    expect(matchesNumeric(operand, 5)).toBe(true);
    expect(matchesNumeric(operand, 5.1)).toBe(false);
  });

  it('matches inside a closed range >= -10, < -1', () => {
    const operand = ['>=', -10, '<', -1];

    expect(matchesNumeric(operand, -10)).toBe(true);
    expect(matchesNumeric(operand, -1.5)).toBe(true);
    expect(matchesNumeric(operand, -1)).toBe(false);
    expect(matchesNumeric(operand, -10.000001)).toBe(false);
  });

  it('compares negative decimals correctly', () => {
    expect(matchesNumeric(['<', -0.5], -0.75)).toBe(true);
    expect(matchesNumeric(['<', -0.5], -0.25)).toBe(false);
  });

  it('matches at the documented limits of -5.0e9 and +5.0e9', () => {
    expect(matchesNumeric(['>=', -5e9], -5e9)).toBe(true);
    expect(matchesNumeric(['<=', 5e9], 5e9)).toBe(true);
  });

  it('accepts bounds with exactly six decimals and compares at that precision', () => {
    expect(matchesNumeric(['=', 0.123456], 0.123456)).toBe(true);
    expect(matchesNumeric(['>', 0.000001], 0.000002)).toBe(true);
    expect(matchesNumeric(['>', 0.000001], 0.000001)).toBe(false);
  });

  it('does not match event numbers outside the documented range', () => {
    expect(matchesNumeric(['>', 0], 5e9 + 1)).toBe(false);
    expect(matchesNumeric(['<', 0], -6e9)).toBe(false);
  });

  // Newer event-ruler refuses to compare a value with more than six decimals rather than rounding it.
  it('does not match event numbers with more than six decimals', () => {
    expect(matchesNumeric(['>', 0], 0.0000001)).toBe(false);
    expect(matchesNumeric(['>', 0], 1.1234567)).toBe(false);
    expect(matchesNumeric(['>', 0], 1.123456)).toBe(true);
  });

  it('matches any element of an event array that falls in range', () => {
    expect(matchesNumeric(['>', 10], [1, 5, 11])).toBe(true);
    expect(matchesNumeric(['>', 10], [1, 5, 10])).toBe(false);
  });

  it('combines with exact values in the same field (OR)', () => {
    const pattern = compileEventPattern({ n: [{ numeric: ['<', 0] }, 42] });

    expect(pattern.matches({ n: -1 })).toBe(true);
    expect(pattern.matches({ n: 42 })).toBe(true);
    expect(pattern.matches({ n: 7 })).toBe(false);
  });
});
