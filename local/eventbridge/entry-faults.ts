import type { OperationContext } from './operation';
import type { EntryError } from './put-events-validation';

const INTERNAL_FAILURE: EntryError = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' };
const THROTTLED: EntryError = { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' };

/**
 * The injected fault that fails one PutEvents entry, if any. A fault scoped to this entry's bus
 * (while the call also names buses it spares) fails it as the bus being down or throttled would;
 * otherwise the region's internalFailureRate applies.
 */
export const entryFault = (ctx: OperationContext, busName: string): EntryError | undefined => {
  const scoped = ctx.busFaults?.get(busName);
  const failure = scoped
    ? scoped.down !== undefined || ctx.faults.roll(scoped.internalFailureRate)
      ? INTERNAL_FAILURE
      : ctx.faults.roll(scoped.throttleRate)
        ? THROTTLED
        : undefined
    : ctx.faults.roll(ctx.internalFailureRate)
      ? INTERNAL_FAILURE
      : undefined;
  if (failure) ctx.markFaultApplied();
  return failure;
};
