import { canonicalJson } from '../canonical-json';
import { isPlainObject } from './json-values';
import type { PatternTerm, WildcardValue } from './types';

const isString = (value: unknown): value is string => typeof value === 'string';

// event-ruler keeps anything-but values in a set, so their order and repeats do not make a new pattern.
const asSet = (values: readonly unknown[]): string[] =>
  [...new Set(values.map((value) => canonicalJson(value)))].sort();

const anythingButIdentity = (operand: unknown): string => {
  if (Array.isArray(operand)) return `anything-but:[${asSet(operand).join(',')}]`;
  if (!isPlainObject(operand)) return `anything-but:${canonicalJson(operand)}`;
  const [name = '', inner] = Object.entries(operand)[0] ?? [];
  const values = Array.isArray(inner) ? asSet(inner) : [canonicalJson(inner)];
  return `anything-but:${name}:[${values.join(',')}]`;
};

// A number, and `{"numeric": ["=", n]}`, are the same numeric-equals pattern in event-ruler.
const expressionIdentity = (name: string, operand: unknown): string => {
  if (name === 'numeric' && Array.isArray(operand) && operand.length === 2 && operand[0] === '=') {
    return `number:${String(operand[1])}`;
  }
  if (name === 'anything-but') return anythingButIdentity(operand);
  return `${name}:${canonicalJson(operand)}`;
};

const wildcardsOf = (name: string, operand: unknown): WildcardValue[] => {
  if (name === 'wildcard' && isString(operand)) return [{ operator: 'wildcard', text: operand }];
  if (name !== 'anything-but' || !isPlainObject(operand)) return [];
  const inner = operand.wildcard;
  const texts = Array.isArray(inner) ? inner.filter(isString) : isString(inner) ? [inner] : [];
  return [...new Set(texts)].map((text) => ({ operator: 'anything-but-wildcard', text }));
};

/** Describes one already-validated element of a pattern field the way event-ruler files it. */
export const describeTerm = (element: unknown): PatternTerm => {
  if (!isPlainObject(element)) {
    const identity = typeof element === 'number' ? `number:${element}` : `value:${canonicalJson(element)}`;
    return { identity, absent: false, wildcards: [] };
  }
  const [name = '', operand] = Object.entries(element)[0] ?? [];
  return {
    identity: expressionIdentity(name, operand),
    absent: name === 'exists' && operand === false,
    wildcards: wildcardsOf(name, operand),
  };
};
