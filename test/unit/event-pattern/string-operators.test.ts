import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../shared/domain/event-pattern';
import { anEvent } from './pattern-test-kit';

describe('prefix', () => {
  it('matches a string that starts with the prefix', () => {
    const pattern = compileEventPattern({ time: [{ prefix: '2017-10-02' }] });

    expect(pattern.matches(anEvent({}, { time: '2017-10-02T18:43:48Z' }))).toBe(true);
    expect(pattern.matches(anEvent({}, { time: '2017-10-03T18:43:48Z' }))).toBe(false);
  });

  it('is case-sensitive', () => {
    expect(compileEventPattern({ source: [{ prefix: 'AWS.' }] }).matches(anEvent({}))).toBe(false);
  });

  it('only matches strings, never numbers with the same digits', () => {
    const pattern = compileEventPattern({ detail: { code: [{ prefix: '12' }] } });

    expect(pattern.matches(anEvent({ code: '123' }))).toBe(true);
    expect(pattern.matches(anEvent({ code: 123 }))).toBe(false);
  });

  it('matches every string, including the empty one, when the prefix is empty', () => {
    const pattern = compileEventPattern({ detail: { name: [{ prefix: '' }] } });

    expect(pattern.matches(anEvent({ name: '' }))).toBe(true);
    expect(pattern.matches(anEvent({ name: 'x' }))).toBe(true);
    expect(pattern.matches(anEvent({ name: null }))).toBe(false);
  });

  it('ignores case when wrapped around equals-ignore-case', () => {
    const pattern = compileEventPattern({ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } });

    expect(pattern.matches(anEvent({ service: 'eventbridge' }))).toBe(true);
    expect(pattern.matches(anEvent({ service: 'EVENTBRIDGE' }))).toBe(true);
    expect(pattern.matches(anEvent({ service: 'sns' }))).toBe(false);
  });
});

describe('suffix', () => {
  it('matches a string that ends with the suffix', () => {
    const pattern = compileEventPattern({ FileName: [{ suffix: '.png' }] });

    expect(pattern.matches({ FileName: 'photo.png' })).toBe(true);
    expect(pattern.matches({ FileName: 'photo.PNG' })).toBe(false);
    expect(pattern.matches({ FileName: 'photo.jpg' })).toBe(false);
  });

  it('ignores case when wrapped around equals-ignore-case', () => {
    const pattern = compileEventPattern({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } });

    expect(pattern.matches(anEvent({ FileName: 'photo.PNG' }))).toBe(true);
    expect(pattern.matches(anEvent({ FileName: 'photo.Png' }))).toBe(true);
    expect(pattern.matches(anEvent({ FileName: 'photo.gif' }))).toBe(false);
  });

  it('does not match a string shorter than the suffix', () => {
    const pattern = compileEventPattern({ name: [{ suffix: { 'equals-ignore-case': 'bridge' } }] });

    expect(pattern.matches({ name: 'dge' })).toBe(false);
  });
});

describe('equals-ignore-case', () => {
  it('matches the same letters in any case', () => {
    const pattern = compileEventPattern({ detail: { name: [{ 'equals-ignore-case': 'alice' }] } });

    expect(pattern.matches(anEvent({ name: 'Alice' }))).toBe(true);
    expect(pattern.matches(anEvent({ name: 'ALICE' }))).toBe(true);
    expect(pattern.matches(anEvent({ name: 'Alicia' }))).toBe(false);
  });

  it('folds non-ASCII letters as well', () => {
    const pattern = compileEventPattern({ city: [{ 'equals-ignore-case': 'ZÜRICH' }] });

    expect(pattern.matches({ city: 'zürich' })).toBe(true);
  });

  it('does not match non-string values', () => {
    const pattern = compileEventPattern({ flag: [{ 'equals-ignore-case': 'true' }] });

    expect(pattern.matches({ flag: true })).toBe(false);
  });
});

describe('wildcard', () => {
  it('lets * stand for any run of characters, including none', () => {
    const pattern = compileEventPattern({
      EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }],
    });

    expect(pattern.matches({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' })).toBe(true);
    expect(pattern.matches({ EventBusArn: 'arn:aws:events:us-east-1::event-bus/' })).toBe(true);
    expect(pattern.matches({ EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default' })).toBe(false);
  });

  it('matches a file in any sub-folder with a leading and middle wildcard', () => {
    const pattern = compileEventPattern({ FilePath: [{ wildcard: '*dir/*.png' }] });

    expect(pattern.matches({ FilePath: '/home/dir/photo.png' })).toBe(true);
    expect(pattern.matches({ FilePath: 'dir/a/b.png' })).toBe(true);
    expect(pattern.matches({ FilePath: '/home/dir/photo.jpg' })).toBe(false);
  });

  it('matches any string with a lone *', () => {
    const pattern = compileEventPattern({ name: [{ wildcard: '*' }] });

    expect(pattern.matches({ name: '' })).toBe(true);
    expect(pattern.matches({ name: 'anything' })).toBe(true);
    expect(pattern.matches({ name: 42 })).toBe(false);
  });

  it('behaves as an exact match when there is no *', () => {
    const pattern = compileEventPattern({ name: [{ wildcard: 'abc' }] });

    expect(pattern.matches({ name: 'abc' })).toBe(true);
    expect(pattern.matches({ name: 'abcd' })).toBe(false);
  });

  it('does not let the leading and trailing literals overlap', () => {
    const pattern = compileEventPattern({ name: [{ wildcard: 'ab*ba' }] });

    expect(pattern.matches({ name: 'aba' })).toBe(false);
    expect(pattern.matches({ name: 'abba' })).toBe(true);
  });

  it('backtracks past a false start for a repeated middle literal', () => {
    const pattern = compileEventPattern({ name: [{ wildcard: '*a*ab' }] });

    expect(pattern.matches({ name: 'xaab' })).toBe(true);
    expect(pattern.matches({ name: 'xab' })).toBe(false);
  });

  it('treats regular-expression characters as literals', () => {
    const pattern = compileEventPattern({ name: [{ wildcard: 'a.b+(c)?*' }] });

    expect(pattern.matches({ name: 'a.b+(c)?tail' })).toBe(true);
    expect(pattern.matches({ name: 'axbb(c)tail' })).toBe(false);
  });

  it('matches a literal asterisk written as \\*', () => {
    const pattern = compileEventPattern({ name: [{ wildcard: 'a\\*b' }] });

    expect(pattern.matches({ name: 'a*b' })).toBe(true);
    expect(pattern.matches({ name: 'axb' })).toBe(false);
  });

  it('matches a literal backslash written as \\\\', () => {
    const pattern = compileEventPattern({ path: [{ wildcard: 'C:\\\\*' }] });

    expect(pattern.matches({ path: 'C:\\Windows' })).toBe(true);
    expect(pattern.matches({ path: 'C:/Windows' })).toBe(false);
  });
});
