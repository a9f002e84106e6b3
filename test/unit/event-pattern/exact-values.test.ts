import { describe, expect, it } from 'vitest';
import { compileEventPattern, matchesEventPattern } from '../../../shared/domain/event-pattern';
import { anEvent } from './pattern-test-kit';

describe('exact value matching', () => {
  it('matches an event whose field equals one of the listed strings', () => {
    const pattern = compileEventPattern({ source: ['aws.s3', 'aws.ec2'] });

    const matched = pattern.matches(anEvent({}));

    expect(matched).toBe(true);
  });

  it('rejects an event whose field equals none of the listed strings', () => {
    const pattern = compileEventPattern({ source: ['aws.s3', 'aws.lambda'] });

    expect(pattern.matches(anEvent({}))).toBe(false);
  });

  it('compares strings case-sensitively', () => {
    expect(matchesEventPattern({ source: ['AWS.EC2'] }, anEvent({}))).toBe(false);
  });

  it('requires every field named in the pattern (fields are ANDed)', () => {
    const pattern = compileEventPattern({ source: ['aws.ec2'], detail: { state: ['terminated'] } });

    expect(pattern.matches(anEvent({ state: 'terminated' }))).toBe(true);
    expect(pattern.matches(anEvent({ state: 'running' }))).toBe(false);
    expect(pattern.matches(anEvent({}))).toBe(false);
  });

  it('follows nested objects in the pattern into nested objects in the event', () => {
    const pattern = compileEventPattern({ detail: { instance: { state: { name: ['running'] } } } });

    expect(pattern.matches(anEvent({ instance: { state: { name: 'running' } } }))).toBe(true);
    expect(pattern.matches(anEvent({ instance: { state: 'running' } }))).toBe(false);
  });

  it('ignores event fields the pattern does not mention', () => {
    const event = anEvent({ state: 'running', extra: { deeply: ['nested', 1, null] } });

    expect(matchesEventPattern({ detail: { state: ['running'] } }, event)).toBe(true);
  });

  it('matches the empty string only against an empty string', () => {
    const pattern = compileEventPattern({ detail: { lastName: [''] } });

    expect(pattern.matches(anEvent({ lastName: '' }))).toBe(true);
    expect(pattern.matches(anEvent({ lastName: 'Doe' }))).toBe(false);
    expect(pattern.matches(anEvent({ lastName: null }))).toBe(false);
    expect(pattern.matches(anEvent({}))).toBe(false);
  });

  it('matches null against a JSON null but not against a missing field', () => {
    const pattern = compileEventPattern({ detail: { userId: [null] } });

    expect(pattern.matches(anEvent({ userId: null }))).toBe(true);
    expect(pattern.matches(anEvent({}))).toBe(false);
  });

  it('does not match null against the string "null" or an empty string', () => {
    const pattern = compileEventPattern({ detail: { userId: [null] } });

    expect(pattern.matches(anEvent({ userId: 'null' }))).toBe(false);
    expect(pattern.matches(anEvent({ userId: '' }))).toBe(false);
  });

  it('matches booleans by JSON type, not by their text', () => {
    const pattern = compileEventPattern({ detail: { enabled: [true] } });

    expect(pattern.matches(anEvent({ enabled: true }))).toBe(true);
    expect(pattern.matches(anEvent({ enabled: 'true' }))).toBe(false);
    expect(pattern.matches(anEvent({ enabled: false }))).toBe(false);
  });

  it('matches 3.0e2 and 300.0 in the event against the pattern number 300', () => {
    const pattern = compileEventPattern('{"detail": {"price": [300]}}');

    expect(pattern.matches(JSON.parse('{"detail": {"price": 3.0e2}}'))).toBe(true);
    expect(pattern.matches(JSON.parse('{"detail": {"price": 300.0}}'))).toBe(true);
  });

  it('does not match a pattern number against the same digits as a string, nor the reverse', () => {
    expect(matchesEventPattern({ detail: { price: [300] } }, anEvent({ price: '300' }))).toBe(false);
    expect(matchesEventPattern({ detail: { price: ['300'] } }, anEvent({ price: 300 }))).toBe(false);
  });

  it('matches numbers outside the numeric-matching range by exact value, such as account ids', () => {
    const pattern = compileEventPattern({ account: [123456789012] });

    expect(pattern.matches(anEvent({}, { account: 123456789012 }))).toBe(true);
    expect(pattern.matches(anEvent({}, { account: 123456789013 }))).toBe(false);
  });

  it('accepts numbers too precise for numeric matching and compares them exactly', () => {
    const pattern = compileEventPattern({ detail: { ratio: [0.1234567] } });

    expect(pattern.matches(anEvent({ ratio: 0.1234567 }))).toBe(true);
    expect(pattern.matches(anEvent({ ratio: 0.1234568 }))).toBe(false);
  });

  it('matches a negative number and a decimal by value', () => {
    const pattern = compileEventPattern('{"detail": {"delta": [-1.5, 2.25]}}');

    expect(pattern.matches(JSON.parse('{"detail": {"delta": -1.50}}'))).toBe(true);
    expect(pattern.matches(JSON.parse('{"detail": {"delta": 225e-2}}'))).toBe(true);
    expect(pattern.matches(JSON.parse('{"detail": {"delta": 1.5}}'))).toBe(false);
  });

  it('matches an IP address value against any spelling of the same address', () => {
    const pattern = compileEventPattern({ detail: { ip: ['2001:db8::1'] } });

    expect(pattern.matches(anEvent({ ip: '2001:0db8:0:0:0:0:0:1' }))).toBe(true);
    expect(pattern.matches(anEvent({ ip: '2001:db8::2' }))).toBe(false);
  });

  it('matches an IPv4 address value exactly', () => {
    const pattern = compileEventPattern({ detail: { ip: ['10.0.0.1'] } });

    expect(pattern.matches(anEvent({ ip: '10.0.0.1' }))).toBe(true);
    expect(pattern.matches(anEvent({ ip: '10.0.0.10' }))).toBe(false);
  });

  it('treats a dotted-quad that is not an address (999.1.1.1) as a plain string', () => {
    const pattern = compileEventPattern({ detail: { version: ['999.1.1.1'] } });

    expect(pattern.matches(anEvent({ version: '999.1.1.1' }))).toBe(true);
    expect(pattern.matches(anEvent({ version: '999.1.1.2' }))).toBe(false);
  });

  it('never matches an event that is not a JSON object', () => {
    const pattern = compileEventPattern({ detail: { state: [{ exists: false }] } });

    expect(pattern.matches(null)).toBe(false);
    expect(pattern.matches('{"detail": {}}')).toBe(false);
    expect(pattern.matches([anEvent({})])).toBe(false);
  });
});

describe('event arrays', () => {
  it('matches when any element of an event array equals any pattern value', () => {
    const pattern = compileEventPattern({
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      ],
    });
    const event = anEvent(
      {},
      {
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      },
    );

    expect(pattern.matches(event)).toBe(true);
  });

  it('rejects when the event array and the pattern values do not intersect', () => {
    const pattern = compileEventPattern({ detail: { tags: ['blue', 'green'] } });

    expect(pattern.matches(anEvent({ tags: ['red', 'yellow'] }))).toBe(false);
  });

  it('finds no value in an empty event array', () => {
    expect(matchesEventPattern({ detail: { tags: ['blue'] } }, anEvent({ tags: [] }))).toBe(false);
  });

  it('crushes arrays of objects so a nested field matches in any element', () => {
    const pattern = compileEventPattern({ detail: { employees: { firstName: ['Anna'] } } });
    const event = anEvent({
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
      ],
    });

    expect(pattern.matches(event)).toBe(true);
  });

  it('crushes multi-level arrays too', () => {
    const pattern = compileEventPattern({ detail: { employees: { firstName: ['Peter'] } } });
    const event = anEvent({
      employees: [[{ firstName: 'John' }, { firstName: 'Anna' }], [{ firstName: 'Peter' }]],
    });

    expect(pattern.matches(event)).toBe(true);
  });
});

describe('dotted keys', () => {
  // event-ruler joins path steps with '.', so a dot in a key is indistinguishable from nesting.
  it('treats a dotted pattern key as the same path as nested objects', () => {
    const pattern = compileEventPattern({ 'detail.state': ['running'] });

    expect(pattern.matches(anEvent({ state: 'running' }))).toBe(true);
    expect(pattern.matches(anEvent({ state: 'stopped' }))).toBe(false);
  });

  it('matches a nested pattern against an event key that itself contains a dot', () => {
    const pattern = compileEventPattern({ detail: { state: { status: ['running'] } } });

    expect(pattern.matches(anEvent({ 'state.status': 'running' }))).toBe(true);
  });
});
