import {
  CAPACITY_OPERATIONS,
  callerWantsCapacity,
  readConsumedCapacity,
  spliceCapacityRequest,
  type TableCapacity,
} from './consumed-capacity';
import { parseJsonObject, type DynamoCall } from './dynamo-call';
import {
  requestNeedsRewrite,
  responseNeedsRewrite,
  rewriteRequestRegion,
  rewriteResponseRegion,
} from './region-rewrite';
import type { EngineResponse } from './engine-client';

/** The body to send to the engine, and whether ConsumedCapacity must be removed from its answer. */
export interface EngineBoundRequest {
  body: Buffer;
  stripCapacity: boolean;
}

/** The body to return to the caller, and the capacity the engine reported per table. */
export interface CallerBoundResponse {
  body: Buffer;
  changed: boolean;
  capacity?: Map<string, TableCapacity>;
}

const supportsCapacity = (call: DynamoCall): boolean =>
  call.api === 'dynamodb' && CAPACITY_OPERATIONS.has(call.operation);

/**
 * Prepares a request for DynamoDB Local: the caller's region in ARNs becomes `ddblocal`, and
 * ReturnConsumedCapacity is forced to TOTAL so every call can be metered. The body is only
 * re-serialized when an ARN must change or the caller explicitly said NONE.
 */
export const prepareEngineRequest = (call: DynamoCall, body: Buffer, region: string): EngineBoundRequest => {
  const json = call.json;
  if (!json) return { body, stripCapacity: false };
  const inject = supportsCapacity(call) && !callerWantsCapacity(json);
  if (requestNeedsRewrite(body, region)) {
    rewriteRequestRegion(json, region);
    if (inject) json.ReturnConsumedCapacity = 'TOTAL';
    return { body: Buffer.from(JSON.stringify(json)), stripCapacity: inject };
  }
  if (!inject) return { body, stripCapacity: false };
  const spliced = spliceCapacityRequest(body, json);
  if (spliced) return { body: spliced, stripCapacity: true };
  json.ReturnConsumedCapacity = 'TOTAL';
  return { body: Buffer.from(JSON.stringify(json)), stripCapacity: true };
};

/**
 * Prepares the engine's answer for the caller: reads ConsumedCapacity for the meter, removes
 * it when only the proxy asked for it, and turns `ddblocal` back into the caller's region.
 * Answers that need none of that (most stream reads, every error without an ARN) pass through untouched.
 */
export const prepareCallerResponse = (
  call: DynamoCall,
  upstream: EngineResponse,
  region: string,
  stripCapacity: boolean,
): CallerBoundResponse => {
  const rewrite = responseNeedsRewrite(upstream.body);
  const meterable = supportsCapacity(call) && upstream.status < 300;
  const json = rewrite || meterable ? parseJsonObject(upstream.body) : undefined;
  if (!json) return { body: upstream.body, changed: false };
  const capacity = meterable ? readConsumedCapacity(call.operation, call.json, json) : undefined;
  let changed = false;
  if (stripCapacity && 'ConsumedCapacity' in json) {
    delete json.ConsumedCapacity;
    changed = true;
  }
  if (rewrite) {
    rewriteResponseRegion(json, region);
    changed = true;
  }
  return { body: changed ? Buffer.from(JSON.stringify(json)) : upstream.body, changed, capacity };
};
