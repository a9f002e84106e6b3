import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../shared/domain/event-pattern';

const employees = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};

// event-ruler's rulesForJSONEvent (what EventBridge uses) refuses matches whose fields come from
// different elements of the same array.
describe('array consistency', () => {
  it('matches two fields taken from the same array element', () => {
    const pattern = compileEventPattern({ employees: { firstName: ['Anna'], lastName: ['Smith'] } });

    expect(pattern.matches(employees)).toBe(true);
  });

  it('does not match two fields taken from different array elements', () => {
    const pattern = compileEventPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } });

    expect(pattern.matches(employees)).toBe(false);
  });

  it('keeps elements of nested arrays apart as well', () => {
    const event = {
      groups: [
        {
          members: [
            { name: 'a', role: 'admin' },
            { name: 'b', role: 'user' },
          ],
        },
      ],
    };

    expect(compileEventPattern({ groups: { members: { name: ['b'], role: ['user'] } } }).matches(event)).toBe(true);
    expect(compileEventPattern({ groups: { members: { name: ['b'], role: ['admin'] } } }).matches(event)).toBe(false);
  });

  it('lets fields of one element combine with fields outside the array', () => {
    const pattern = compileEventPattern({ source: ['hr'], employees: { firstName: ['Peter'], lastName: ['Jones'] } });

    expect(pattern.matches({ source: 'hr', ...employees })).toBe(true);
  });

  it('tries other elements after a first candidate fails', () => {
    const pattern = compileEventPattern({ items: { sku: [{ prefix: 'A' }], qty: [{ numeric: ['>', 5] }] } });
    const event = {
      items: [
        { sku: 'A1', qty: 1 },
        { sku: 'B1', qty: 9 },
        { sku: 'A2', qty: 7 },
      ],
    };

    expect(pattern.matches(event)).toBe(true);
  });

  it('checks exists:false within the element that the other fields came from', () => {
    const pattern = compileEventPattern({ items: { sku: ['A1'], discount: [{ exists: false }] } });

    expect(pattern.matches({ items: [{ sku: 'A1' }, { sku: 'B1', discount: 5 }] })).toBe(true);
    expect(pattern.matches({ items: [{ sku: 'A1', discount: 5 }, { sku: 'B1' }] })).toBe(false);
  });

  it('lets scalars of an array match beside the objects in the same array', () => {
    const pattern = compileEventPattern({ mixed: ['flag'], 'mixed.kind': ['x'] });

    expect(pattern.matches({ mixed: ['flag', { kind: 'x' }] })).toBe(true);
  });
});

describe('array consistency on large arrays', () => {
  const items = Array.from({ length: 2000 }, (_, index) => ({ sku: `S${index}`, state: 'open', note: 'x' }));

  it('finds the one element whose fields all match among thousands', () => {
    const pattern = compileEventPattern({ items: { sku: ['S1999'], state: ['open'], note: ['x'] } });

    expect(pattern.matches({ items })).toBe(true);
  });

  it('rejects exists:false when every element that matches the other fields has the field', () => {
    const pattern = compileEventPattern({ items: { state: ['open'], note: [{ exists: false }] } });

    expect(pattern.matches({ items })).toBe(false);
  });
});
