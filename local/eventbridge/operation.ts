import type { LocalPrincipal } from '../aws/principals';
import type { FaultRegistry, RegionFaults } from '../faults/fault-registry';
import { resolveBusReference } from './arns';
import { busNotFoundError } from './errors';
import type { EventRouter } from './event-router';
import type { EventInspector } from './inspector';
import type { JsonObject } from './request-fields';
import type { EventBridgeStore, EventBus } from './store';

/** What every operation handler gets besides its input. */
export interface OperationContext {
  region: string;
  accountId: string;
  store: EventBridgeStore;
  router: EventRouter;
  inspector: EventInspector;
  faults: FaultRegistry;
  /** Who signed the request, from its access key id. */
  caller: LocalPrincipal;
  /** Share of PutEvents entries to fail with InternalFailure in this request's region. */
  internalFailureRate?: number;
  /** Faults that hit only the PutEvents entries addressed to some buses (the others go through). */
  busFaults?: ReadonlyMap<string, RegionFaults>;
  maxEntryBytes: number;
  now: () => Date;
  /** Tells the transport a fault changed this request, so it counts against `remaining`. */
  markFaultApplied(): void;
}

/** One `AWSEvents.<Op>` handler: JSON input in, JSON output out, EventBridgeApiError for 4xx/5xx. */
export type Operation = (input: JsonObject, ctx: OperationContext) => unknown;

/** Finds the bus a `Name`/`EventBusName` member names, by name or ARN, in the caller's region. */
export const resolveBus = (ctx: OperationContext, nameOrArn: string | undefined): EventBus => {
  const ref = resolveBusReference(nameOrArn);
  if (ref.arn && (ref.arn.region !== ctx.region || ref.arn.accountId !== ctx.accountId))
    throw busNotFoundError(ref.busName);
  return ctx.store.getBus(ctx.region, ref.busName);
};

/** Timestamps go on the wire as epoch seconds. */
export const epochSeconds = (date: Date): number => date.getTime() / 1000;
