import { endsWithIgnoreCase, equalsIgnoreCase, startsWithIgnoreCase } from './ignore-case';
import { rejectPattern } from './invalid-event-pattern-error';
import { isPlainObject } from './json-values';
import type { ValuePredicate } from './types';
import { matchesWildcard, parseWildcard } from './wildcard';

type StringTest = (value: string, operand: string) => boolean;

// Every string operator ignores numbers, booleans and null in the event: AWS matches them on strings only.
const onStrings =
  (test: StringTest, operand: string): ValuePredicate =>
  (value) =>
    typeof value === 'string' && test(value, operand);

const requireString = (operand: unknown, reason: string): string =>
  typeof operand === 'string' ? operand : rejectPattern(reason);

// `{"prefix": {"equals-ignore-case": "x"}}` and the suffix twin; the operator name appears in each reason.
const readIgnoreCaseOperand = (operand: Record<string, unknown>, label: 'Prefix' | 'Suffix'): string => {
  const [name, ...others] = Object.keys(operand);
  if (name === undefined) return rejectPattern(`${label} expression name not found`);
  if (name !== 'equals-ignore-case') return rejectPattern(`Unsupported ${label.toLowerCase()} pattern: ${name}`);
  const text = requireString(operand[name], 'equals-ignore-case match pattern must be a string');
  if (others.length > 0) rejectPattern('Only one key allowed in match expression');
  return text;
};

/** Compiles `{"prefix": "x"}` or `{"prefix": {"equals-ignore-case": "x"}}`. */
export const compilePrefix = (operand: unknown): ValuePredicate => {
  if (isPlainObject(operand)) return onStrings(startsWithIgnoreCase, readIgnoreCaseOperand(operand, 'Prefix'));
  const prefix = requireString(operand, 'prefix match pattern must be a string');
  return onStrings((value, expected) => value.startsWith(expected), prefix);
};

/** Compiles `{"suffix": "x"}` or `{"suffix": {"equals-ignore-case": "x"}}`. */
export const compileSuffix = (operand: unknown): ValuePredicate => {
  if (isPlainObject(operand)) return onStrings(endsWithIgnoreCase, readIgnoreCaseOperand(operand, 'Suffix'));
  const suffix = requireString(operand, 'suffix match pattern must be a string');
  return onStrings((value, expected) => value.endsWith(expected), suffix);
};

/** Compiles `{"equals-ignore-case": "x"}`. */
export const compileEqualsIgnoreCase = (operand: unknown): ValuePredicate =>
  onStrings(equalsIgnoreCase, requireString(operand, 'equals-ignore-case match pattern must be a string'));

/** Compiles `{"wildcard": "a*b"}`, validating escapes and rejecting `**` as AWS does. */
export const compileWildcard = (operand: unknown): ValuePredicate => {
  const pattern = parseWildcard(requireString(operand, 'wildcard match pattern must be a string'));
  return (value) => typeof value === 'string' && matchesWildcard(pattern, value);
};
