import type { FaultRegistry } from '../faults/fault-registry';
import type { Partitions } from '../faults/partitions';
import {
  FunctionInvocationError,
  FunctionNotFoundError,
  parseFunctionArn,
  type FunctionInvoker,
} from '../lambda/function-invoker';
import type { QueueStore } from '../queues/queue-store';
import { isQueueArn, parseEventBusArn } from './arns';
import { DeliveryFailure } from './delivery-failure';
import type { EventEnvelope } from './envelope';
import type { IngestMeta } from './event-router';
import type { TargetInput } from './input-transform';
import type { Rule, Target } from './store';
import type { Timers } from './timers';

/** Bus-to-bus chains longer than this are cut, so two rules forwarding to each other cannot loop forever. */
export const MAX_BUS_HOPS = 5;

export interface SendDeps {
  accountId: string;
  queues: QueueStore;
  faults: FaultRegistry;
  timers: Timers;
  invoker?: FunctionInvoker;
  partitions?: Partitions;
  ingest(region: string, busName: string, envelope: EventEnvelope, meta: IngestMeta): boolean;
}

/** One call to a target; throws DeliveryFailure when it did not take the event. */
export interface SendJob {
  rule: Rule;
  target: Target;
  envelope: EventEnvelope;
  meta: IngestMeta;
  input: TargetInput;
}

/** Sends once to a Lambda function, an SQS queue or an event bus, chosen by the target ARN. */
export const sendToTarget = async (deps: SendDeps, job: SendJob): Promise<void> => {
  const arn = job.target.arn;
  const fn = parseFunctionArn(arn);
  if (fn) return invokeFunction(deps, fn.region, fn.functionName, job.input.payload, job.meta.traceHeader);
  if (isQueueArn(arn)) {
    deps.queues.send(arn, job.input.text);
    return;
  }
  if (parseEventBusArn(arn)) return forwardToBus(deps, job);
  throw new DeliveryFailure(
    'INVALID_PARAMETER',
    `The local EventBridge cannot deliver to ${arn}; it supports Lambda, SQS and event bus targets.`,
    false,
  );
};

const invokeFunction = async (
  deps: SendDeps,
  region: string,
  functionName: string,
  payload: unknown,
  traceHeader: string | undefined,
): Promise<void> => {
  if (!deps.invoker) {
    throw new DeliveryFailure(
      'NO_RESOURCE',
      `No function invoker is configured, so ${functionName} in ${region} cannot be invoked.`,
      false,
    );
  }
  try {
    // EventBridge passes the trace header its event came with on to the function.
    await deps.invoker.invoke(region, functionName, payload, traceHeader ? { traceHeader } : {});
  } catch (error) {
    if (error instanceof FunctionNotFoundError) throw new DeliveryFailure('NO_RESOURCE', error.message, false);
    if (error instanceof FunctionInvocationError) throw new DeliveryFailure('ERROR_FROM_TARGET', error.message, true);
    throw new DeliveryFailure('ERROR_FROM_TARGET', error instanceof Error ? error.message : String(error), true);
  }
};

/** Bus targets forward the original event unchanged; AWS ignores input transformation for them. */
const forwardToBus = async (deps: SendDeps, job: SendJob): Promise<void> => {
  const destination = parseEventBusArn(job.target.arn);
  if (!destination) return;
  if (destination.accountId !== deps.accountId) {
    throw new DeliveryFailure(
      'CROSS_ACCOUNT_INGESTION_FAILED',
      `The local cloud has only account ${deps.accountId}.`,
      false,
    );
  }
  const regions = job.meta.regions.includes(destination.region)
    ? job.meta.regions
    : [...job.meta.regions, destination.region];
  if (regions.length > 2) {
    throw new DeliveryFailure(
      'THIRD_REGION_HOP_DETECTED',
      `Event ${job.envelope.id} already crossed from ${job.meta.regions.join(' to ')}.`,
      false,
    );
  }
  if (job.meta.hops >= MAX_BUS_HOPS) {
    throw new DeliveryFailure(
      'INVALID_PARAMETER',
      `Event ${job.envelope.id} exceeded the local limit of ${MAX_BUS_HOPS} bus-to-bus hops.`,
      false,
    );
  }
  // Failed, not held: the rule's RetryPolicy retries it, then dead-letters it, as for a destination that is down.
  if (deps.partitions?.isPartitioned(job.rule.region, destination.region)) {
    throw new DeliveryFailure(
      'CROSS_REGION_INGESTION_FAILED',
      `${job.rule.region} is partitioned from ${destination.region}.`,
      true,
    );
  }
  await applyDestinationFaults(deps, destination.region, destination.busName);
  const meta: IngestMeta = { via: job.rule.arn, traceHeader: job.meta.traceHeader, regions, hops: job.meta.hops + 1 };
  if (!deps.ingest(destination.region, destination.busName, job.envelope, meta)) {
    throw new DeliveryFailure(
      'NO_RESOURCE',
      `Event bus ${destination.busName} does not exist in ${destination.region}.`,
      false,
    );
  }
};

/** The destination region's (or bus's) injected faults hit forwarded events as they hit PutEvents calls. */
const applyDestinationFaults = async (deps: SendDeps, region: string, bus: string): Promise<void> => {
  const faults = deps.faults.match({ service: 'events', region, operation: 'PutEvents', bus });
  if (!faults) return;
  if (faults.down) {
    deps.faults.consume('events', region, bus);
    throw new DeliveryFailure('CROSS_REGION_INGESTION_FAILED', `EventBridge in ${region} is unavailable.`, true);
  }
  if (faults.slowMs) await deps.timers.sleep(faults.slowMs);
  const failure = deps.faults.roll(faults.throttleRate)
    ? new DeliveryFailure('THROTTLING', `PutEvents in ${region} was throttled.`, true)
    : deps.faults.roll(faults.internalFailureRate)
      ? new DeliveryFailure('INTERNAL_ERROR', 'Internal Service Failure', true)
      : undefined;
  if (failure || faults.slowMs) deps.faults.consume('events', region, bus);
  if (failure) throw failure;
};
