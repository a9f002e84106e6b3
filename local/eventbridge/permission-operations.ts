import { notFoundError, serializationError, validationError } from './errors';
import { parseBusPolicy, policyFromStatements, rawStatements } from './bus-policy';
import { resolveBus, type Operation } from './operation';
import { PATTERNS, readObject, readString, type JsonObject } from './request-fields';
import type { EventBus } from './store';

const LEGACY_MEMBERS = ['Action', 'Principal', 'StatementId', 'Condition'] as const;

/**
 * `AWSEvents.PutPermission`: either a whole `Policy` document, which replaces the bus policy, or
 * the legacy Action/Principal/StatementId(/Condition) form, which adds (or replaces) one statement.
 */
export const putPermission: Operation = (input, ctx) => {
  const bus = resolveBus(ctx, readString(input, 'EventBusName', { min: 1, max: 1600, pattern: PATTERNS.busNameOrArn }));
  const policyText = readString(input, 'Policy');
  if (policyText !== undefined) {
    const legacy = LEGACY_MEMBERS.filter((member) => input[member] !== undefined && input[member] !== null);
    if (legacy.length > 0)
      throw validationError(
        `Policy cannot be combined with ${legacy.join(', ')}; give either a Policy or a statement.`,
      );
    ctx.store.setPolicy(bus, parseBusPolicy(policyText));
    return {};
  }
  const statement = legacyStatement(input, bus);
  const others = rawStatements(bus.policy).filter((s) => s.Sid !== statement.Sid);
  ctx.store.setPolicy(bus, policyFromStatements([...others, statement]));
  return {};
};

/** `AWSEvents.RemovePermission`: one statement by StatementId, or all of them. */
export const removePermission: Operation = (input, ctx) => {
  const bus = resolveBus(ctx, readString(input, 'EventBusName', { min: 1, max: 1600, pattern: PATTERNS.busNameOrArn }));
  const removeAll = input.RemoveAllPermissions;
  if (removeAll !== undefined && typeof removeAll !== 'boolean')
    throw serializationError('RemoveAllPermissions must be a boolean.');
  if (removeAll === true) {
    ctx.store.setPolicy(bus, undefined);
    return {};
  }
  const statementId = readString(input, 'StatementId', { required: true, min: 1, max: 64, pattern: STATEMENT_ID });
  const statements = rawStatements(bus.policy);
  const kept = statements.filter((s) => s.Sid !== statementId);
  if (kept.length === statements.length) throw notFoundError('Statement with the provided id does not exist.');
  ctx.store.setPolicy(bus, policyFromStatements(kept));
  return {};
};

const STATEMENT_ID = '[a-zA-Z0-9-_]+';

/** The statement AWS writes for the legacy form: an account (as its root) or `*`, optionally with an organization condition. */
const legacyStatement = (input: JsonObject, bus: EventBus): Record<string, unknown> => {
  const action = readString(input, 'Action', { required: true, min: 1, max: 64, pattern: 'events:[a-zA-Z]+' });
  if (action !== 'events:PutEvents') throw validationError(`Action ${action} is not supported; use events:PutEvents.`);
  const principal = readString(input, 'Principal', { required: true, min: 1, max: 12, pattern: '(\\d{12}|\\*)' });
  const statementId = readString(input, 'StatementId', { required: true, min: 1, max: 64, pattern: STATEMENT_ID });
  const condition = readObject(input, 'Condition');
  return {
    Sid: statementId,
    Effect: 'Allow',
    Principal: principal === '*' ? '*' : { AWS: `arn:aws:iam::${principal}:root` },
    Action: action,
    Resource: bus.arn,
    ...(condition && { Condition: readLegacyCondition(condition) }),
  };
};

/** `{Type, Key, Value}` as documented: today only StringEquals on aws:PrincipalOrgID. */
const readLegacyCondition = (condition: JsonObject): Record<string, Record<string, string>> => {
  const type = readString(condition, 'Type', { required: true }, 'condition.') ?? '';
  const key = readString(condition, 'Key', { required: true }, 'condition.') ?? '';
  const value = readString(condition, 'Value', { required: true }, 'condition.') ?? '';
  return { [type]: { [key]: value } };
};
