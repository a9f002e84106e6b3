import { compileField } from './compile-field';
import { rejectPattern } from './invalid-event-pattern-error';
import { isPlainObject } from './json-values';
import type { Branch, FieldCondition } from './types';

const OR_KEYWORD = '$or';

/** AWS rejects a pattern whose `$or` expansion yields more than this many alternatives. */
export const MAX_COMBINATIONS = 1000;

// event-ruler reserves operator names inside `$or`, so an operator placed one level too high is an error
// there instead of silently becoming a field name.
const RESERVED_INSIDE_OR: ReadonlySet<string> = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

interface Scope {
  readonly prefix: string;
  readonly insideOr: boolean;
}

// Paths are joined with '.', exactly as event-ruler does, so {"a.b": [..]} and {"a": {"b": [..]}}
// name the same field; the event is flattened the same way, so a literal "a.b" key in the event matches too.
const pathOf = (scope: Scope, key: string): string => (scope.prefix === '' ? key : `${scope.prefix}.${key}`);

// A later mention of the same path replaces an earlier one, as event-ruler does by default.
const withField = (branch: Branch, path: string, condition: FieldCondition): Branch =>
  new Map(branch).set(path, condition);

const compileOr = (alternatives: unknown, scope: Scope, branches: readonly Branch[]): Branch[] => {
  if (!Array.isArray(alternatives)) return rejectPattern('It must be an Array followed with $or.');
  const expanded = alternatives.flatMap((alternative) => {
    if (!isPlainObject(alternative)) return rejectPattern('Only JSON object is allowed in array of $or relationship.');
    return compileObject(alternative, { ...scope, insideOr: true }, branches);
  });
  if (alternatives.length < 2) rejectPattern('There must have at least 2 Objects in $or relationship.');
  if (expanded.length > MAX_COMBINATIONS) {
    rejectPattern(`The pattern expands to more than ${MAX_COMBINATIONS} combinations through $or`);
  }
  return expanded;
};

const compileEntry = (key: string, value: unknown, scope: Scope, branches: readonly Branch[]): Branch[] => {
  if (key === OR_KEYWORD) return compileOr(value, scope, branches);
  if (scope.insideOr && RESERVED_INSIDE_OR.has(key)) {
    rejectPattern(`${key} is Ruler reserved fieldName which cannot be used inside ${OR_KEYWORD}.`);
  }
  const path = pathOf(scope, key);
  if (isPlainObject(value)) return compileObject(value, { ...scope, prefix: path }, branches);
  if (!Array.isArray(value)) return rejectPattern(`"${key}" must be an object or an array`);
  const condition = compileField(value);
  return branches.map((branch) => withField(branch, path, condition));
};

const compileObject = (node: Record<string, unknown>, scope: Scope, branches: readonly Branch[]): Branch[] => {
  const entries = Object.entries(node);
  if (entries.length === 0) rejectPattern('Empty objects are not allowed');
  let current = [...branches];
  for (const [key, value] of entries) current = compileEntry(key, value, scope, current);
  return current;
};

/** Turns a pattern object into its `$or`-free alternatives; the pattern matches when any alternative does. */
export const compileBranches = (pattern: Record<string, unknown>): Branch[] =>
  compileObject(pattern, { prefix: '', insideOr: false }, [new Map()]);
