import { equalsIgnoreCase } from './ignore-case';
import { rejectPattern } from './invalid-event-pattern-error';
import { isPlainObject } from './json-values';
import { isComparableNumber, requireComparableNumber } from './numeric';
import type { ValuePredicate } from './types';
import { matchesWildcard, parseWildcard } from './wildcard';

type StringTest = (value: string) => boolean;

const NESTED_TESTS = {
  'equals-ignore-case':
    (operand: string): StringTest =>
    (value) =>
      equalsIgnoreCase(value, operand),
  prefix:
    (operand: string): StringTest =>
    (value) =>
      value.startsWith(operand),
  suffix:
    (operand: string): StringTest =>
    (value) =>
      value.endsWith(operand),
  wildcard: (operand: string): StringTest => {
    const pattern = parseWildcard(operand);
    return (value) => matchesWildcard(pattern, value);
  },
} as const;

type NestedOperator = keyof typeof NESTED_TESTS;

const NON_STRING_REASONS: Record<NestedOperator, string> = {
  'equals-ignore-case': 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  prefix: 'prefix/suffix match pattern must be a string',
  suffix: 'prefix/suffix match pattern must be a string',
  wildcard: 'wildcard match pattern must be a string',
};

const SCALAR_OR_LIST_REASON = 'Value of anything-but must be an array or single string/number value.';

const isNestedOperator = (name: string): name is NestedOperator => Object.hasOwn(NESTED_TESTS, name);

const isScalarOrList = (operand: unknown): operand is string | number | unknown[] =>
  Array.isArray(operand) || typeof operand === 'string' || typeof operand === 'number';

const compileNestedValue = (operator: NestedOperator, operand: unknown): StringTest => {
  if (typeof operand !== 'string') return rejectPattern(NON_STRING_REASONS[operator]);
  if ((operator === 'prefix' || operator === 'suffix') && operand === '')
    rejectPattern('Null prefix/suffix not allowed');
  return NESTED_TESTS[operator](operand);
};

// The nested forms only exclude strings: a number, boolean or null in the event always satisfies them,
// because event-ruler compares the quoted JSON text and a bare 5 can never start with `"init`.
const compileNested = (operand: Record<string, unknown>): ValuePredicate => {
  const [name, ...others] = Object.keys(operand);
  if (name === undefined) return rejectPattern('Anything-But expression name not found');
  if (!isNestedOperator(name)) return rejectPattern(`Unsupported anything-but pattern: ${name}`);
  const inner = operand[name];
  if (!isScalarOrList(inner)) return rejectPattern(SCALAR_OR_LIST_REASON);
  const tests = (Array.isArray(inner) ? inner : [inner]).map((value) => compileNestedValue(name, value));
  if (others.length > 0) rejectPattern('Only one key allowed in match expression');
  return (value) => typeof value !== 'string' || !tests.some((test) => test(value));
};

const excludeStrings =
  (excluded: readonly string[]): ValuePredicate =>
  (value) =>
    typeof value !== 'string' || !excluded.includes(value);

// A numeric exclusion compares numerically (300 excludes 3.0e2) and never excludes a string such as "300".
const excludeNumbers =
  (excluded: readonly number[]): ValuePredicate =>
  (value) =>
    !isComparableNumber(value) || !excluded.includes(value);

const validateListMember = (member: unknown): void => {
  if (typeof member === 'number') requireComparableNumber(member);
  else if (typeof member !== 'string') rejectPattern('Inside anything but list, start|null|boolean is not supported.');
};

const compileList = (members: readonly unknown[]): ValuePredicate => {
  members.forEach(validateListMember);
  const strings = members.filter((member): member is string => typeof member === 'string');
  const numbers = members.filter((member): member is number => typeof member === 'number');
  if (strings.length > 0 === numbers.length > 0) {
    rejectPattern('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  return numbers.length > 0 ? excludeNumbers(numbers) : excludeStrings(strings);
};

/** Compiles the operand of `{"anything-but": ...}`; like AWS, it never matches a missing field. */
export const compileAnythingBut = (operand: unknown): ValuePredicate => {
  if (isPlainObject(operand)) return compileNested(operand);
  if (Array.isArray(operand)) return compileList(operand);
  if (typeof operand === 'string') return excludeStrings([operand]);
  if (typeof operand === 'number') return excludeNumbers([requireComparableNumber(operand)]);
  return rejectPattern(SCALAR_OR_LIST_REASON);
};
