import type { FaultRegistry, RegionFaults } from '../faults/fault-registry';
import { serviceUnavailableError, throttlingError, type AwsJsonError } from './aws-json-errors';
import type { DynamoCall } from './dynamo-call';

/**
 * What an injected fault does to one request. `refuse` resets the connection without answering:
 * every region shares the proxy's one port, so a per-region outage cannot refuse the TCP
 * connection itself (the region is only known once the signed request has arrived); a reset
 * is what the SDKs see from a dead endpoint mid-request, and they treat it as a network error.
 */
export type FaultOutcome = { kind: 'pass' } | { kind: 'refuse' } | { kind: 'answer'; error: AwsJsonError };

export interface FaultDecision {
  delayMs: number;
  outcome: FaultOutcome;
  /** The request goes to the engine, then the connection is destroyed instead of answering (lostResponseRate). */
  loseResponse: boolean;
}

const PASS: FaultDecision = { delayMs: 0, outcome: { kind: 'pass' }, loseResponse: false };

/** The region's DynamoDB faults that apply to this call, checking each table a batch names. */
const matchFaults = (registry: FaultRegistry, region: string, call: DynamoCall): RegionFaults | undefined => {
  const tables: Array<string | undefined> = call.tables.length > 0 ? call.tables : [undefined];
  for (const table of tables) {
    const faults = registry.match({ service: 'dynamodb', region, table, operation: call.operation });
    if (faults) return faults;
  }
  return undefined;
};

/**
 * Decides how injected faults treat one request, and counts it against the fault's `remaining`
 * when the request was affected (delayed, refused, answered with an error or its answer lost).
 */
export const decideFaults = (registry: FaultRegistry, region: string, call: DynamoCall): FaultDecision => {
  const faults = matchFaults(registry, region, call);
  if (!faults) return PASS;
  const delayMs = faults.slowMs ?? 0;
  let outcome: FaultOutcome = { kind: 'pass' };
  if (faults.down === 'refuse') outcome = { kind: 'refuse' };
  else if (faults.down === '503') outcome = { kind: 'answer', error: serviceUnavailableError() };
  else if (registry.roll(faults.throttleRate))
    outcome = { kind: 'answer', error: throttlingError(call.api, call.operation) };
  const loseResponse = outcome.kind === 'pass' && registry.roll(faults.lostResponseRate);
  if (delayMs > 0 || outcome.kind !== 'pass' || loseResponse) registry.consume('dynamodb', region);
  return { delayMs, outcome, loseResponse };
};
