import { compileAnythingBut } from './anything-but';
import { compileCidr, isAddressInRange } from './cidr';
import { rejectPattern } from './invalid-event-pattern-error';
import { parseIpAddress } from './ip-address';
import { isPlainObject } from './json-values';
import { compileNumeric } from './numeric';
import { describeTerm } from './pattern-term';
import { compileEqualsIgnoreCase, compilePrefix, compileSuffix, compileWildcard } from './string-operators';
import type { CompiledMatcher, FieldCondition, ValuePredicate } from './types';

const OPERATORS: Readonly<Record<string, (operand: unknown) => ValuePredicate>> = {
  prefix: compilePrefix,
  suffix: compileSuffix,
  'equals-ignore-case': compileEqualsIgnoreCase,
  wildcard: compileWildcard,
  'anything-but': compileAnythingBut,
  numeric: compileNumeric,
  cidr: compileCidr,
};

const compileExists = (operand: unknown): CompiledMatcher => {
  if (typeof operand !== 'boolean') return rejectPattern('exists match pattern must be either true or false.');
  // Any leaf counts as present, null included; objects and arrays are not leaves, so they never do.
  return operand ? { kind: 'value', test: () => true } : { kind: 'absence' };
};

const compileOperator = (name: string, operand: unknown): CompiledMatcher => {
  if (name === 'exists') return compileExists(operand);
  const compile = Object.hasOwn(OPERATORS, name) ? OPERATORS[name] : undefined;
  if (compile === undefined) return rejectPattern(`Unrecognized match type ${name}`);
  return { kind: 'value', test: compile(operand) };
};

const compileMatchExpression = (expression: Record<string, unknown>): CompiledMatcher => {
  const [name, ...others] = Object.keys(expression);
  if (name === undefined) return rejectPattern('Match expression name not found');
  const matcher = compileOperator(name, expression[name]);
  if (others.length > 0) rejectPattern('Only one key allowed in match expression');
  return matcher;
};

const compileExactString = (expected: string): ValuePredicate => {
  // Like event-ruler, a value that parses as an IP address matches any spelling of that address.
  const address = parseIpAddress(expected);
  if (address === undefined) return (value) => value === expected;
  const range = { bottom: address, top: address };
  return (value) => typeof value === 'string' && isAddressInRange(range, value);
};

const compileMatcher = (element: unknown): CompiledMatcher => {
  if (isPlainObject(element)) return compileMatchExpression(element);
  if (typeof element === 'string') return { kind: 'value', test: compileExactString(element) };
  // Numbers compare by value, so 300, 300.0 and 3.0e2 are one number once parsed; strings never equal numbers.
  if (typeof element === 'number' || typeof element === 'boolean' || element === null) {
    return { kind: 'value', test: (value) => value === element };
  }
  return rejectPattern('Match value must be String, number, true, false, or null');
};

/** Compiles the array a pattern gives for one field; any element may match (OR). */
export const compileField = (elements: readonly unknown[]): FieldCondition => {
  if (elements.length === 0) return rejectPattern('Empty arrays are not allowed');
  const matchers = elements.map(compileMatcher);
  return {
    predicates: matchers.flatMap((matcher) => (matcher.kind === 'value' ? [matcher.test] : [])),
    acceptsAbsence: matchers.some((matcher) => matcher.kind === 'absence'),
    terms: elements.map(describeTerm),
  };
};
