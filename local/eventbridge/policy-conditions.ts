/**
 * IAM condition operators for bus policies: String*, Arn* and Null, each optionally `...IfExists`
 * and prefixed `ForAnyValue:` / `ForAllValues:`. Every local condition key is single-valued, so a
 * set qualifier sees a set of one value, or the empty set when the key is absent.
 */

/** The request's condition keys, lower-cased (IAM condition keys are case-insensitive). */
export type ConditionKeys = Readonly<Record<string, string | undefined>>;

/** One `"Operator": {"key": values}` pair of a statement's Condition block. */
export interface PolicyCondition {
  operator: string;
  /** Lower-cased condition key, e.g. `events:source`. */
  key: string;
  values: string[];
  test: ValueTest;
  negated: boolean;
  ifExists: boolean;
  set?: 'ForAnyValue' | 'ForAllValues';
  /** The Null operator: `"true"` holds when the key is absent, `"false"` when it is present. */
  nullCheck?: boolean;
}

type ValueTest = (actual: string, expected: string) => boolean;

/** An IAM wildcard pattern (`*` any run, `?` one character) as an anchored RegExp. */
export const wildcard = (pattern: string, flags = ''): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    `s${flags}`,
  );

/** ARN matching compares the six colon-separated parts one by one, each with `*` and `?` wildcards. */
const arnLike: ValueTest = (actual, expected) => {
  const actualParts = splitArn(actual);
  const expectedParts = splitArn(expected);
  return (
    actualParts !== undefined &&
    expectedParts !== undefined &&
    expectedParts.every((part, i) => wildcard(part).test(actualParts[i] ?? ''))
  );
};

const splitArn = (arn: string): string[] | undefined => {
  const parts = arn.split(':');
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
};

const OPERATORS: Readonly<Record<string, { test: ValueTest; negated: boolean }>> = {
  StringEquals: { test: (a, e) => a === e, negated: false },
  StringNotEquals: { test: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { test: (a, e) => wildcard(e).test(a), negated: false },
  StringNotLike: { test: (a, e) => wildcard(e).test(a), negated: true },
  ArnEquals: { test: arnLike, negated: false },
  ArnLike: { test: arnLike, negated: false },
  ArnNotEquals: { test: arnLike, negated: true },
  ArnNotLike: { test: arnLike, negated: true },
};

/** Supported operator names, for error messages. */
export const SUPPORTED_OPERATORS = [...Object.keys(OPERATORS), 'Null'];

/** Reads one operator/key pair; returns a reason string when the operator is not one the local evaluator knows. */
export const parseCondition = (operator: string, key: string, values: string[]): PolicyCondition | string => {
  const [qualifier, bare] = operator.includes(':') ? operator.split(':', 2) : [undefined, operator];
  if (qualifier !== undefined && qualifier !== 'ForAnyValue' && qualifier !== 'ForAllValues')
    return `condition operator ${operator} has an unknown prefix ${qualifier}`;
  const ifExists = bare?.endsWith('IfExists') === true;
  const name = ifExists ? (bare ?? '').slice(0, -'IfExists'.length) : (bare ?? '');
  if (name === 'Null')
    return { operator, key: key.toLowerCase(), values, test: () => false, negated: false, ifExists, nullCheck: true };
  const known = OPERATORS[name];
  if (!known)
    return `condition operator ${operator} is not supported locally (supported: ${SUPPORTED_OPERATORS.join(', ')})`;
  return { operator, key: key.toLowerCase(), values, ...known, ifExists, set: qualifier };
};

/** True when the condition holds for the request's keys. */
export const conditionHolds = (condition: PolicyCondition, keys: ConditionKeys): boolean => {
  const actual = keys[condition.key];
  if (condition.nullCheck) return condition.values.some((expected) => (expected === 'true') === (actual === undefined));
  const holdsFor = (value: string): boolean => {
    const matched = condition.values.some((expected) => condition.test(value, expected));
    return condition.negated ? !matched : matched;
  };
  if (condition.set === 'ForAnyValue') return actual !== undefined && holdsFor(actual);
  if (condition.set === 'ForAllValues') return actual === undefined || holdsFor(actual);
  // A missing key fails a positive operator and satisfies a negated one, as IAM evaluates them.
  if (actual === undefined) return condition.ifExists || condition.negated;
  return holdsFor(actual);
};
