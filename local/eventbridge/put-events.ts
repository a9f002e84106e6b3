import { randomUUID } from 'node:crypto';
import { resolveBusReference } from './arns';
import { buildEnvelope } from './envelope';
import { validationError } from './errors';
import type { Operation, OperationContext } from './operation';
import {
  assertTotalSize,
  checkEntry,
  readEntries,
  type EntryError,
  type PutEventsEntry,
} from './put-events-validation';

const INTERNAL_FAILURE: EntryError = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' };

/**
 * `AWSEvents.PutEvents`: whole-request checks (entry count, total size), then one result per
 * entry. Deliveries start after the response is written.
 */
export const putEvents: Operation = (input, ctx) => {
  if (input.EndpointId !== undefined) {
    throw validationError(
      'EndpointId is not supported by the local EventBridge: global endpoints need SigV4a and Route 53 health checks.',
    );
  }
  const entries = readEntries(input);
  assertTotalSize(entries, ctx.maxEntryBytes);
  const receivedAt = ctx.now();
  const results = entries.map((entry) => acceptEntry(entry, ctx, receivedAt));
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
};

const acceptEntry = (
  entry: PutEventsEntry,
  ctx: OperationContext,
  receivedAt: Date,
): EntryError | { EventId: string } => {
  const checked = checkEntry(entry);
  if ('error' in checked) return checked.error;
  if (ctx.faults.roll(ctx.internalFailureRate)) {
    ctx.markFaultApplied();
    return INTERNAL_FAILURE;
  }
  const ref = resolveBusReference(entry.eventBusName);
  if (ref.arn && (ref.arn.region !== ctx.region || ref.arn.accountId !== ctx.accountId)) {
    return {
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter EventBusName is not valid. Reason: ${entry.eventBusName} is not a bus of account ${ctx.accountId} in ${ctx.region}.`,
    };
  }
  const id = randomUUID();
  const envelope = buildEnvelope({
    id,
    detailType: entry.detailType ?? '',
    source: entry.source ?? '',
    accountId: ctx.accountId,
    time: entry.time ?? receivedAt,
    region: ctx.region,
    resources: entry.resources,
    detail: checked.detail,
  });
  const meta = { via: 'PutEvents', traceHeader: entry.traceHeader, regions: [ctx.region], hops: 0 };
  // AWS answers success for a custom bus that does not exist and drops the event.
  if (!ctx.router.ingest(ctx.region, ref.busName, envelope, meta)) ctx.inspector.droppedForMissingBus += 1;
  return { EventId: id };
};
