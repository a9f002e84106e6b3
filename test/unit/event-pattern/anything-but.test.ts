import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../shared/domain/event-pattern';
import { anEvent } from './pattern-test-kit';

describe('anything-but', () => {
  it('matches any string except the one given', () => {
    const pattern = compileEventPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } });

    expect(pattern.matches(anEvent({ state: 'running' }))).toBe(true);
    expect(pattern.matches(anEvent({ state: 'initializing' }))).toBe(false);
  });

  it('never matches a missing field', () => {
    const pattern = compileEventPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } });

    expect(pattern.matches(anEvent({}))).toBe(false);
  });

  it('excludes every string of a list', () => {
    const pattern = compileEventPattern({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } });

    expect(pattern.matches(anEvent({ state: 'running' }))).toBe(true);
    expect(pattern.matches(anEvent({ state: 'stopped' }))).toBe(false);
    expect(pattern.matches(anEvent({ state: 'overloaded' }))).toBe(false);
  });

  it('excludes a number, comparing numerically so 3.0e2 counts as 300', () => {
    const pattern = compileEventPattern({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } });

    expect(pattern.matches(anEvent({ 'x-limit': 301.8 }))).toBe(true);
    expect(pattern.matches(JSON.parse('{"detail": {"x-limit": 3.0e2}}'))).toBe(false);
  });

  it('excludes a single number', () => {
    const pattern = compileEventPattern({ detail: { 'x-limit': [{ 'anything-but': 123 }] } });

    expect(pattern.matches(anEvent({ 'x-limit': 123 }))).toBe(false);
    expect(pattern.matches(anEvent({ 'x-limit': 124 }))).toBe(true);
  });

  // event-ruler keeps strings and numbers apart: a numeric exclusion cannot exclude the string "100".
  it('lets a string through a numeric exclusion and a number through a string exclusion', () => {
    expect(compileEventPattern({ x: [{ 'anything-but': [100] }] }).matches({ x: '100' })).toBe(true);
    expect(compileEventPattern({ x: [{ 'anything-but': ['100'] }] }).matches({ x: 100 })).toBe(true);
  });

  it('lets null and booleans through a string exclusion', () => {
    const pattern = compileEventPattern({ x: [{ 'anything-but': 'null' }] });

    expect(pattern.matches({ x: null })).toBe(true);
    expect(pattern.matches({ x: false })).toBe(true);
  });

  it('matches an event array when any element is not excluded', () => {
    const pattern = compileEventPattern({ tags: [{ 'anything-but': 'internal' }] });

    expect(pattern.matches({ tags: ['internal', 'public'] })).toBe(true);
    expect(pattern.matches({ tags: ['internal', 'internal'] })).toBe(false);
    expect(pattern.matches({ tags: [] })).toBe(false);
  });

  it('excludes strings by prefix', () => {
    const pattern = compileEventPattern({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } });

    expect(pattern.matches(anEvent({ state: 'running' }))).toBe(true);
    expect(pattern.matches(anEvent({ state: 'initializing' }))).toBe(false);
  });

  it('excludes strings by any prefix of a list', () => {
    const pattern = compileEventPattern({ region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] });

    expect(pattern.matches({ region: 'ap-southeast-2' })).toBe(true);
    expect(pattern.matches({ region: 'eu-west-1' })).toBe(false);
    expect(pattern.matches({ region: 'us-east-1' })).toBe(false);
  });

  it('excludes strings by suffix', () => {
    const pattern = compileEventPattern({ FileName: [{ 'anything-but': { suffix: '.png' } }] });

    expect(pattern.matches({ FileName: 'photo.jpg' })).toBe(true);
    expect(pattern.matches({ FileName: 'photo.png' })).toBe(false);
  });

  it('lets numbers through a prefix or suffix exclusion', () => {
    expect(compileEventPattern({ x: [{ 'anything-but': { prefix: '1' } }] }).matches({ x: 123 })).toBe(true);
    expect(compileEventPattern({ x: [{ 'anything-but': { suffix: '3' } }] }).matches({ x: 123 })).toBe(true);
  });

  it('excludes strings in any letter case with equals-ignore-case', () => {
    const pattern = compileEventPattern({ state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] });

    expect(pattern.matches({ state: 'INITIALIZING' })).toBe(false);
    expect(pattern.matches({ state: 'Initializing' })).toBe(false);
    expect(pattern.matches({ state: 'running' })).toBe(true);
  });

  it('excludes a list of strings in any letter case', () => {
    const pattern = compileEventPattern({ state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] });

    expect(pattern.matches({ state: 'A' })).toBe(false);
    expect(pattern.matches({ state: 'b' })).toBe(false);
    expect(pattern.matches({ state: 'c' })).toBe(true);
  });

  it('excludes strings matching a wildcard', () => {
    const pattern = compileEventPattern({ FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] });

    expect(pattern.matches({ FilePath: '/usr/lib/libc.so' })).toBe(false);
    expect(pattern.matches({ FilePath: '/usr/bin/env' })).toBe(true);
  });

  it('excludes strings matching any wildcard of a list', () => {
    const pattern = compileEventPattern({ FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*.tmp'] } }] });

    expect(pattern.matches({ FilePath: 'scratch.tmp' })).toBe(false);
    expect(pattern.matches({ FilePath: '/usr/bin/env' })).toBe(true);
  });

  it('matches every value when an empty list of prefixes excludes nothing', () => {
    const pattern = compileEventPattern({ x: [{ 'anything-but': { prefix: [] } }] });

    expect(pattern.matches({ x: 'anything' })).toBe(true);
  });

  it('ORs with other values of the same field', () => {
    const pattern = compileEventPattern({ state: ['initializing', { 'anything-but': { prefix: 'init' } }] });

    expect(pattern.matches({ state: 'initializing' })).toBe(true);
    expect(pattern.matches({ state: 'initial' })).toBe(false);
    expect(pattern.matches({ state: 'running' })).toBe(true);
  });

  it('matches an array of objects when any element holds a value that is not excluded', () => {
    const pattern = compileEventPattern({ items: { state: [{ 'anything-but': ['closed'] }] } });

    expect(pattern.matches({ items: [{ state: 'closed' }, { state: 'open' }] })).toBe(true);
    expect(pattern.matches({ items: [{ state: 'closed' }, { other: 'open' }] })).toBe(false);
  });
});
