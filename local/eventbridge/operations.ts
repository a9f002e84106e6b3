import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from './bus-operations';
import type { Operation } from './operation';
import { putPermission, removePermission } from './permission-operations';
import { putEvents } from './put-events';
import { deleteRule, describeRule, disableRule, enableRule, listRules, putRule } from './rule-operations';
import { listTargetsByRule, putTargets, removeTargets } from './target-operations';
import { testEventPattern } from './test-event-pattern';

/** The operations the local endpoint serves, by `X-Amz-Target` suffix. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateEventBus: createEventBus,
  DescribeEventBus: describeEventBus,
  ListEventBuses: listEventBuses,
  DeleteEventBus: deleteEventBus,
  PutRule: putRule,
  DescribeRule: describeRule,
  ListRules: listRules,
  DeleteRule: deleteRule,
  EnableRule: enableRule,
  DisableRule: disableRule,
  PutTargets: putTargets,
  ListTargetsByRule: listTargetsByRule,
  RemoveTargets: removeTargets,
  PutEvents: putEvents,
  PutPermission: putPermission,
  RemovePermission: removePermission,
  TestEventPattern: testEventPattern,
};
