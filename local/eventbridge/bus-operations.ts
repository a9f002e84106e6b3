import { parseBusPolicy } from './bus-policy';
import { notFoundError, validationError } from './errors';
import { epochSeconds, resolveBus, type Operation } from './operation';
import { paginate } from './pagination';
import { PATTERNS, readPage, readString } from './request-fields';
import type { EventBus } from './store';

/**
 * `AWSEvents.CreateEventBus`: custom buses only; partner event sources do not exist locally.
 * `Policy` is a local extension (CloudFormation's `AWS::Events::EventBus` has it; the API does not).
 */
export const createEventBus: Operation = (input, ctx) => {
  const name = readString(input, 'Name', { required: true, min: 1, max: 256, pattern: PATTERNS.busName }) ?? '';
  const eventSourceName = readString(input, 'EventSourceName', { min: 1, max: 256 });
  const description = readString(input, 'Description', { max: 512 });
  const policyText = readString(input, 'Policy');
  if (eventSourceName !== undefined) throw notFoundError(`Event source ${eventSourceName} does not exist.`);
  if (name.includes('/'))
    throw validationError(`Event bus name ${name} is not valid: custom event bus names must not contain '/'.`);
  const policy = policyText === undefined ? undefined : parseBusPolicy(policyText);
  const bus = ctx.store.createBus(ctx.region, name, description, policy);
  return { EventBusArn: bus.arn, ...(description !== undefined && { Description: description }) };
};

/** `AWSEvents.DescribeEventBus`: by name or ARN, `default` when omitted. */
export const describeEventBus: Operation = (input, ctx) => {
  const bus = resolveBus(ctx, readString(input, 'Name', { min: 1, max: 1600, pattern: PATTERNS.busNameOrArn }));
  return busOutput(bus);
};

/** `AWSEvents.ListEventBuses`: sorted by name, paged. */
export const listEventBuses: Operation = (input, ctx) => {
  const prefix = readString(input, 'NamePrefix', { min: 1, max: 256, pattern: PATTERNS.busName });
  const { limit, nextToken } = readPage(input);
  const { page, nextToken: next } = paginate(ctx.store.listBuses(ctx.region, prefix), limit, nextToken);
  return { EventBuses: page.map(busOutput), ...(next !== undefined && { NextToken: next }) };
};

/** `AWSEvents.DeleteEventBus`: removes the bus and its rules; unknown names succeed. */
export const deleteEventBus: Operation = (input, ctx) => {
  const name = readString(input, 'Name', { required: true, min: 1, max: 256, pattern: PATTERNS.busName }) ?? '';
  ctx.store.deleteBus(ctx.region, name);
  return {};
};

const busOutput = (bus: EventBus): Record<string, unknown> => ({
  Name: bus.name,
  Arn: bus.arn,
  ...(bus.description !== undefined && { Description: bus.description }),
  ...(bus.policy !== undefined && { Policy: bus.policy.text }),
  CreationTime: epochSeconds(bus.createdAt),
  LastModifiedTime: epochSeconds(bus.lastModifiedAt),
});
