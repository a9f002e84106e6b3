import { randomUUID } from 'node:crypto';
import { resolveBusReference } from './arns';
import { entryFault } from './entry-faults';
import { buildEnvelope } from './envelope';
import { validationError } from './errors';
import type { Operation, OperationContext } from './operation';
import { authorizePutEvents, type EntryAuthorizer } from './put-events-authorization';
import {
  assertTotalSize,
  checkEntry,
  readEntries,
  type EntryError,
  type PutEventsEntry,
} from './put-events-validation';

/**
 * `AWSEvents.PutEvents`: whole-request checks (entry count, total size, the caller against the
 * bus policies), then one result per entry. Deliveries start after the response is written.
 */
export const putEvents: Operation = (input, ctx) => {
  if (input.EndpointId !== undefined) {
    throw validationError(
      'EndpointId is not supported by the local EventBridge: global endpoints need SigV4a and Route 53 health checks.',
    );
  }
  const entries = readEntries(input);
  assertTotalSize(entries, ctx.maxEntryBytes);
  const authorize = authorizePutEvents(ctx.store, ctx.region, ctx.caller, localBusNames(entries, ctx));
  const receivedAt = ctx.now();
  const results = entries.map((entry) => acceptEntry(entry, ctx, authorize, receivedAt));
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
};

/** Per entry: validation, the bus's own region and account, the bus policy, injected faults, then the bus. */
const acceptEntry = (
  entry: PutEventsEntry,
  ctx: OperationContext,
  authorize: EntryAuthorizer,
  receivedAt: Date,
): EntryError | { EventId: string } => {
  const checked = checkEntry(entry);
  if ('error' in checked) return checked.error;
  const ref = resolveBusReference(entry.eventBusName);
  if (ref.arn && (ref.arn.region !== ctx.region || ref.arn.accountId !== ctx.accountId)) {
    return {
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter EventBusName is not valid. Reason: ${entry.eventBusName} is not a bus of account ${ctx.accountId} in ${ctx.region}.`,
    };
  }
  const refused = authorize(ref.busName, entry) ?? entryFault(ctx, ref.busName);
  if (refused) return refused;
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

/** The buses of this region and account the entries name; entries naming others fail on their own. */
const localBusNames = (entries: readonly PutEventsEntry[], ctx: OperationContext): string[] =>
  entries
    .map((entry) => resolveBusReference(entry.eventBusName))
    .filter((ref) => !ref.arn || (ref.arn.region === ctx.region && ref.arn.accountId === ctx.accountId))
    .map((ref) => ref.busName);
