import { EventBridgeApiError, validationError } from './errors';
import { parseCondition, type PolicyCondition } from './policy-conditions';

/** The bus policy quota: 10,240 characters (EventBridge quotas page). */
export const POLICY_MAX_CHARS = 10_240;

/** One statement of a bus policy, normalised: every list is a list, keys are as written. */
export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** `'*'` for everyone, else AWS principal ARNs or account ids. */
  principals: '*' | string[];
  actions: string[];
  /** Undefined when the statement names no Resource: it then covers the bus it is attached to. */
  resources?: string[];
  conditions: PolicyCondition[];
}

/** A bus's resource-based policy: the compact JSON text DescribeEventBus returns, and its statements. */
export interface BusPolicy {
  text: string;
  statements: PolicyStatement[];
}

type RawStatement = Record<string, unknown>;

/** 400 PolicyLengthExceededException, as PutPermission models it (the message text is the local one). */
export const policyLengthError = (length: number): EventBridgeApiError =>
  new EventBridgeApiError(
    'PolicyLengthExceededException',
    `The event bus policy is ${length} characters long; the limit is ${POLICY_MAX_CHARS}.`,
  );

/** Parses and validates a policy document, rejecting what the local evaluator would silently misread. */
export const parseBusPolicy = (text: string): BusPolicy => {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalidPolicy('it is not valid JSON');
  }
  if (!isObject(document)) throw invalidPolicy('it must be a JSON object');
  const raw = document.Statement;
  const statements = (Array.isArray(raw) ? raw : [raw]).map((statement, index) => readStatement(statement, index));
  if (statements.length === 0) throw invalidPolicy('Statement must not be empty');
  const compact = JSON.stringify(document);
  if (compact.length > POLICY_MAX_CHARS) throw policyLengthError(compact.length);
  return { text: compact, statements };
};

/** A policy made of these raw statements (what PutPermission and RemovePermission build), or undefined when none are left. */
export const policyFromStatements = (statements: RawStatement[]): BusPolicy | undefined =>
  statements.length === 0
    ? undefined
    : parseBusPolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }));

/** The raw statements of a policy, for PutPermission to add to and RemovePermission to remove from. */
export const rawStatements = (policy: BusPolicy | undefined): RawStatement[] => {
  if (!policy) return [];
  const raw = (JSON.parse(policy.text) as { Statement: unknown }).Statement;
  return (Array.isArray(raw) ? raw : [raw]) as RawStatement[];
};

const readStatement = (raw: unknown, index: number): PolicyStatement => {
  const where = `Statement ${index + 1}`;
  if (!isObject(raw)) throw invalidPolicy(`${where} must be an object`);
  for (const unsupported of ['NotPrincipal', 'NotAction', 'NotResource']) {
    if (raw[unsupported] !== undefined)
      throw invalidPolicy(`${where} uses ${unsupported}, which the local EventBridge does not evaluate`);
  }
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw invalidPolicy(`${where} needs Effect Allow or Deny`);
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string')
    throw invalidPolicy(`${where} has a Sid that is not a string`);
  const conditions = raw.Condition === undefined ? [] : readConditions(raw.Condition, where);
  return {
    sid: raw.Sid as string | undefined,
    effect: raw.Effect as 'Allow' | 'Deny',
    principals: readPrincipals(raw.Principal, where),
    actions: readStrings(raw.Action, `${where} Action`),
    resources: raw.Resource === undefined ? undefined : readStrings(raw.Resource, `${where} Resource`),
    conditions,
  };
};

/** `"*"`, `{"AWS": "*"}` or `{"AWS": arn | account | [...]}`; other principal types are kept but can match no local caller. */
const readPrincipals = (raw: unknown, where: string): '*' | string[] => {
  if (raw === '*') return '*';
  if (!isObject(raw)) throw invalidPolicy(`${where} needs a Principal ("*" or {"AWS": ...})`);
  if (raw.AWS === '*') return '*';
  const aws = raw.AWS === undefined ? [] : readStrings(raw.AWS, `${where} Principal.AWS`);
  const others = Object.keys(raw).filter((type) => type !== 'AWS');
  if (aws.length === 0 && others.length === 0) throw invalidPolicy(`${where} has an empty Principal`);
  return aws;
};

const readConditions = (raw: unknown, where: string): PolicyCondition[] => {
  if (!isObject(raw)) throw invalidPolicy(`${where} Condition must be an object`);
  return Object.entries(raw).flatMap(([operator, block]) => {
    if (!isObject(block)) throw invalidPolicy(`${where} Condition ${operator} must map keys to values`);
    return Object.entries(block).map(([key, values]) => {
      const condition = parseCondition(operator, key, readStrings(values, `${where} Condition ${operator} ${key}`));
      if (typeof condition === 'string') throw invalidPolicy(`${where}: ${condition}`);
      return condition;
    });
  });
};

const readStrings = (raw: unknown, what: string): string[] => {
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length === 0 || values.some((v) => typeof v !== 'string' && typeof v !== 'boolean'))
    throw invalidPolicy(`${what} must be a string or a list of strings`);
  return values.map(String);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** AWS's text for a malformed policy is not documented; this names what is wrong. */
const invalidPolicy = (reason: string): EventBridgeApiError =>
  validationError(`Policy is not valid. Reason: ${reason}.`);
