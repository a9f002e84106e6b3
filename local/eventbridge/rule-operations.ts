import { compileEventPattern, InvalidEventPatternError, type EventPattern } from '../../shared/domain/event-pattern';
import { constraintError, EventBridgeApiError, validationError } from './errors';
import { resolveBus, type Operation, type OperationContext } from './operation';
import { paginate } from './pagination';
import { PATTERNS, readPage, readString, type JsonObject } from './request-fields';
import type { EventBus, Rule, RuleSpec, RuleState } from './store';

const RULE_NAME = { required: true, min: 1, max: 64, pattern: PATTERNS.ruleName } as const;
const BUS_NAME_OR_ARN = { min: 1, max: 1600, pattern: PATTERNS.busNameOrArn } as const;
const STATES: readonly RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];
const SCHEDULE = /^(rate\(\s*[1-9]\d*\s+(minute|minutes|hour|hours|day|days)\s*\)|cron\(\s*\S+(\s+\S+){5}\s*\))$/;

/** `AWSEvents.PutRule`: creates or replaces a rule; a replaced rule keeps its targets. */
export const putRule: Operation = (input, ctx) => {
  const spec = readRuleSpec(input);
  const bus = resolveBus(ctx, readString(input, 'EventBusName', BUS_NAME_OR_ARN));
  if (spec.scheduleExpression !== undefined && bus.name !== 'default') {
    throw validationError('ScheduleExpression is supported only on the default event bus.');
  }
  return { RuleArn: ctx.store.putRule(bus, spec).arn };
};

const readRuleSpec = (input: JsonObject): RuleSpec => {
  const name = readString(input, 'Name', RULE_NAME) ?? '';
  const eventPattern = readString(input, 'EventPattern', { max: 4096 });
  const scheduleExpression = readString(input, 'ScheduleExpression', { max: 256 });
  const state = readState(input);
  const description = readString(input, 'Description', { max: 512 });
  const roleArn = readString(input, 'RoleArn', { min: 1, max: 1600 });
  if (eventPattern === undefined && scheduleExpression === undefined) {
    throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (scheduleExpression !== undefined && !SCHEDULE.test(scheduleExpression)) {
    throw validationError('Parameter ScheduleExpression is not valid.');
  }
  const pattern = eventPattern === undefined ? undefined : compilePattern(eventPattern);
  return { name, eventPattern, pattern, scheduleExpression, state, description, roleArn };
};

const readState = (input: JsonObject): RuleState => {
  const state = readString(input, 'State') ?? 'ENABLED';
  if (!STATES.includes(state as RuleState))
    throw constraintError(state, 'state', `Member must satisfy enum value set: [${STATES.join(', ')}]`);
  return state as RuleState;
};

/** Compiles with the shared matcher so PutRule and TestEventPattern reject exactly what routing cannot match. */
export const compilePattern = (text: string): EventPattern => {
  try {
    return compileEventPattern(text);
  } catch (error) {
    if (error instanceof InvalidEventPatternError)
      throw new EventBridgeApiError('InvalidEventPatternException', error.message);
    throw error;
  }
};

/** `AWSEvents.DescribeRule`. */
export const describeRule: Operation = (input, ctx) => {
  const { rule } = findRule(input, ctx, 'Name');
  return { ...ruleOutput(rule), CreatedBy: ctx.accountId };
};

/** `AWSEvents.ListRules`: sorted by name, paged. */
export const listRules: Operation = (input, ctx) => {
  const bus = resolveBus(ctx, readString(input, 'EventBusName', BUS_NAME_OR_ARN));
  const prefix = readString(input, 'NamePrefix', { min: 1, max: 64, pattern: PATTERNS.ruleName });
  const { limit, nextToken } = readPage(input);
  const { page, nextToken: next } = paginate(ctx.store.listRules(bus, prefix), limit, nextToken);
  return { Rules: page.map(ruleOutput), ...(next !== undefined && { NextToken: next }) };
};

/** `AWSEvents.DeleteRule`: refuses while targets remain; an unknown rule succeeds. */
export const deleteRule: Operation = (input, ctx) => {
  const name = readString(input, 'Name', RULE_NAME) ?? '';
  const bus = resolveBus(ctx, readString(input, 'EventBusName', BUS_NAME_OR_ARN));
  const rule = bus.rules.get(name);
  if (rule && rule.targets.size > 0) throw validationError("Rule can't be deleted since it has targets.");
  bus.rules.delete(name);
  return {};
};

/** `AWSEvents.EnableRule`. */
export const enableRule: Operation = (input, ctx) => setState(input, ctx, 'ENABLED');

/** `AWSEvents.DisableRule`. */
export const disableRule: Operation = (input, ctx) => setState(input, ctx, 'DISABLED');

const setState = (input: JsonObject, ctx: OperationContext, state: RuleState): unknown => {
  findRule(input, ctx, 'Name').rule.state = state;
  return {};
};

/** Reads the rule name member (`Name` or `Rule`) and `EventBusName`, and finds the rule. */
export const findRule = (
  input: JsonObject,
  ctx: OperationContext,
  field: 'Name' | 'Rule',
): { bus: EventBus; rule: Rule } => {
  const name = readString(input, field, RULE_NAME) ?? '';
  const bus = resolveBus(ctx, readString(input, 'EventBusName', BUS_NAME_OR_ARN));
  return { bus, rule: ctx.store.getRule(bus, name) };
};

const ruleOutput = (rule: Rule): Record<string, unknown> => ({
  Name: rule.name,
  Arn: rule.arn,
  ...(rule.eventPattern !== undefined && { EventPattern: rule.eventPattern }),
  ...(rule.scheduleExpression !== undefined && { ScheduleExpression: rule.scheduleExpression }),
  State: rule.state,
  ...(rule.description !== undefined && { Description: rule.description }),
  ...(rule.roleArn !== undefined && { RoleArn: rule.roleArn }),
  EventBusName: rule.busName,
});
