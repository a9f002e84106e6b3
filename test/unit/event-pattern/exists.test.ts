import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../shared/domain/event-pattern';
import { anEvent } from './pattern-test-kit';

const present = compileEventPattern({ detail: { 'c-count': [{ exists: true }] } });
const absent = compileEventPattern({ detail: { 'c-count': [{ exists: false }] } });

describe('exists', () => {
  it('exists:true matches a field with any scalar value', () => {
    expect(present.matches(anEvent({ 'c-count': 5 }))).toBe(true);
    expect(present.matches(anEvent({ 'c-count': '' }))).toBe(true);
    expect(present.matches(anEvent({ 'c-count': false }))).toBe(true);
  });

  it('exists:true matches a field whose value is null', () => {
    expect(present.matches(anEvent({ 'c-count': null }))).toBe(true);
  });

  it('exists:true does not match a missing field', () => {
    expect(present.matches(anEvent({}))).toBe(false);
  });

  it('exists:false matches a missing field', () => {
    expect(absent.matches(anEvent({ state: 'running' }))).toBe(true);
  });

  it('exists:false does not match a field whose value is null', () => {
    expect(absent.matches(anEvent({ 'c-count': null }))).toBe(false);
  });

  it('exists:false matches when the whole parent object is missing', () => {
    expect(absent.matches({ source: 'aws.ec2' })).toBe(true);
  });

  // Exists only looks at leaves: an object is not a value, so the field counts as absent.
  it('treats a field holding an object as absent', () => {
    const event = anEvent({ 'c-count': { c1: 100 } });

    expect(absent.matches(event)).toBe(true);
    expect(present.matches(event)).toBe(false);
  });

  it('treats a field holding an empty array as absent', () => {
    expect(absent.matches(anEvent({ 'c-count': [] }))).toBe(true);
    expect(present.matches(anEvent({ 'c-count': [] }))).toBe(false);
  });

  it('treats a field holding a non-empty array of scalars as present', () => {
    expect(present.matches(anEvent({ 'c-count': [1, 2] }))).toBe(true);
    expect(absent.matches(anEvent({ 'c-count': [1, 2] }))).toBe(false);
  });

  it('combines exists:false with a value so either absence or that value matches', () => {
    const pattern = compileEventPattern({ detail: { state: ['running', { exists: false }] } });

    expect(pattern.matches(anEvent({}))).toBe(true);
    expect(pattern.matches(anEvent({ state: 'running' }))).toBe(true);
    expect(pattern.matches(anEvent({ state: 'stopped' }))).toBe(false);
  });

  it('requires both conditions when exists:false sits beside another field', () => {
    const pattern = compileEventPattern({ detail: { state: ['running'], error: [{ exists: false }] } });

    expect(pattern.matches(anEvent({ state: 'running' }))).toBe(true);
    expect(pattern.matches(anEvent({ state: 'running', error: 'boom' }))).toBe(false);
  });
});
