import { constraintError, serializationError } from './errors';

/** An operation's JSON input after the transport checked it is an object. */
export type JsonObject = Record<string, unknown>;

/** Model constraints of one string member, as in the service model. */
export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  /** A Java-style pattern, matched in full and quoted verbatim in the constraint message. */
  pattern?: string;
}

/** Coral names members in camelCase in its messages: `EventBusName` → `eventBusName`. */
export const memberPath = (field: string, prefix = ''): string =>
  `${prefix}${field.charAt(0).toLowerCase()}${field.slice(1)}`;

/** Reads a string member, enforcing type, presence, length and pattern with AWS's messages. */
export const readString = (
  input: JsonObject,
  field: string,
  rule: StringRule = {},
  prefix = '',
): string | undefined => {
  const value = input[field];
  const path = memberPath(field, prefix);
  if (value === undefined || value === null) {
    if (rule.required) throw constraintError(null, path, 'Member must not be null');
    return undefined;
  }
  if (typeof value !== 'string') throw serializationError(`${field} must be a string, got ${typeof value}.`);
  if (rule.min !== undefined && value.length < rule.min) {
    throw constraintError(value, path, `Member must have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw constraintError(value, path, `Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern && !fullMatch(rule.pattern, value)) {
    throw constraintError(value, path, `Member must satisfy regular expression pattern: ${rule.pattern}`);
  }
  return value;
};

/** Reads an integer member within [min, max]. */
export const readInteger = (
  input: JsonObject,
  field: string,
  range: { min: number; max: number },
  prefix = '',
): number | undefined => {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw serializationError(`${field} must be an integer.`);
  const path = memberPath(field, prefix);
  if (value < range.min)
    throw constraintError(value, path, `Member must have value greater than or equal to ${range.min}`);
  if (value > range.max)
    throw constraintError(value, path, `Member must have value less than or equal to ${range.max}`);
  return value;
};

/** Reads an optional nested structure member. */
export const readObject = (input: JsonObject, field: string): JsonObject | undefined => {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw serializationError(`${field} must be a structure.`);
  return value as JsonObject;
};

/** Reads a list member; `required` makes a missing list a constraint error. */
export const readList = (input: JsonObject, field: string, required = false): unknown[] | undefined => {
  const value = input[field];
  if (value === undefined || value === null) {
    if (required) throw constraintError(null, memberPath(field), 'Member must not be null');
    return undefined;
  }
  if (!Array.isArray(value)) throw serializationError(`${field} must be a list.`);
  return value;
};

/** Reads the pagination pair shared by the List operations. */
export const readPage = (input: JsonObject): { limit: number | undefined; nextToken: string | undefined } => ({
  limit: readInteger(input, 'Limit', { min: 1, max: 100 }),
  nextToken: readString(input, 'NextToken', { min: 1, max: 2048 }),
});

const fullMatch = (pattern: string, value: string): boolean => new RegExp(`^(?:${pattern})$`).test(value);

/** Model patterns, written as AWS prints them in constraint messages. */
export const PATTERNS = {
  ruleName: '[\\.\\-_A-Za-z0-9]+',
  targetId: '[\\.\\-_A-Za-z0-9]+',
  busName: '[/\\.\\-_A-Za-z0-9]+',
  busNameOrArn: '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+',
  putEventsBus: '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[\\.\\-_A-Za-z0-9]+',
} as const;
