import { rejectPattern } from './invalid-event-pattern-error';
import { describeToken } from './json-values';
import type { ValuePredicate } from './types';

// AWS documents numeric matching as limited to -5.0e9..+5.0e9 with six digits after the decimal point.
const NUMERIC_LIMIT = 5e9;
const MAX_DECIMALS = 6;

interface Bound {
  readonly value: number;
  readonly inclusive: boolean;
}

interface NumericRange {
  readonly lower?: Bound;
  readonly upper?: Bound;
}

const countDecimals = (value: number): number => {
  // String() yields the shortest text that round-trips, so "0.1" counts one decimal, not fifty.
  const [mantissa = '', exponent = '0'] = String(Math.abs(value)).split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  return Math.max(0, fraction.length - Number(exponent));
};

/** Returns why a number cannot take part in numeric matching, or undefined when it can. */
export const describeNumericProblem = (value: number): string | undefined => {
  if (!Number.isFinite(value)) return `Value must be between -5.0E9 and 5.0E9, inclusive`;
  if (countDecimals(value) > MAX_DECIMALS) return 'Only values upto 6 decimals are supported';
  if (value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) return 'Value must be between -5.0E9 and 5.0E9, inclusive';
  return undefined;
};

/** True when an event value is a JSON number that numeric matching can compare. */
export const isComparableNumber = (value: unknown): value is number =>
  typeof value === 'number' && describeNumericProblem(value) === undefined;

/** Validates a number written in a pattern where numeric matching applies, and returns it. */
export const requireComparableNumber = (value: number): number => {
  const problem = describeNumericProblem(value);
  return problem === undefined ? value : rejectPattern(problem);
};

const operandOf = (operator: string, token: unknown): number => {
  const label = operator === '=' ? 'equals' : operator;
  if (typeof token !== 'number') return rejectPattern(`Value of ${label} must be numeric`);
  return requireComparableNumber(token);
};

const rejectExtraTerms = (rest: readonly unknown[], reason: string): void => {
  if (rest.length > 0) rejectPattern(reason);
};

const completeRange = (lower: Bound, terms: readonly unknown[]): NumericRange => {
  const [operator, operand, ...rest] = terms;
  if (typeof operator !== 'string') return rejectPattern(`Bad value in numeric range: ${describeToken(operator)}`);
  if (operator !== '<' && operator !== '<=') return rejectPattern(`Bad numeric range operator: ${operator}`);
  const upper = { value: operandOf(operator, operand), inclusive: operator === '<=' };
  rejectExtraTerms(rest, 'Too many terms in numeric range expression');
  if (lower.value >= upper.value) rejectPattern('Bottom must be less than top');
  return { lower, upper };
};

const parseRange = (terms: readonly unknown[]): NumericRange => {
  const [operator, operand, ...rest] = terms;
  if (typeof operator !== 'string') return rejectPattern(`Invalid member in numeric match: ${describeToken(operator)}`);
  switch (operator) {
    case '=': {
      const value = operandOf(operator, operand);
      rejectExtraTerms(rest, 'Too many elements in numeric expression');
      return { lower: { value, inclusive: true }, upper: { value, inclusive: true } };
    }
    case '>':
    case '>=': {
      const lower = { value: operandOf(operator, operand), inclusive: operator === '>=' };
      return rest.length === 0 ? { lower } : completeRange(lower, rest);
    }
    case '<':
    case '<=': {
      const upper = { value: operandOf(operator, operand), inclusive: operator === '<=' };
      rejectExtraTerms(rest, 'Too many elements in numeric expression');
      return { upper };
    }
    default:
      return rejectPattern(`Unrecognized numeric range operator: ${operator}`);
  }
};

const isAbove = (value: number, bound: Bound | undefined): boolean =>
  bound === undefined || value > bound.value || (bound.inclusive && value === bound.value);

const isBelow = (value: number, bound: Bound | undefined): boolean =>
  bound === undefined || value < bound.value || (bound.inclusive && value === bound.value);

/** Compiles the operand of `{"numeric": [...]}`; only JSON numbers in the event can satisfy it. */
export const compileNumeric = (operand: unknown): ValuePredicate => {
  if (!Array.isArray(operand)) return rejectPattern('Value of numeric must be an array.');
  const range = parseRange(operand);
  return (value) => isComparableNumber(value) && isAbove(value, range.lower) && isBelow(value, range.upper);
};
