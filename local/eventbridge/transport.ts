import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRegistry, RegionFaults } from '../faults/fault-registry';
import { principalForAccessKey } from '../aws/principals';
import { parseCredentialScope, type CredentialScope } from '../aws/sigv4';
import { EventBridgeApiError, serializationError } from './errors';
import { matchRequestFaults, type FaultScope } from './fault-scope';
import type { OperationContext } from './operation';
import { OPERATIONS } from './operations';
import type { JsonObject } from './request-fields';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Ten entries of 1 MiB plus JSON overhead; anything larger is not a valid request at all. */
const MAX_BODY_BYTES = 16 * 1_048_576;

/** The per-request context minus what the transport learns from the request itself (caller, bus-scoped faults). */
export type ContextFactory = (
  region: string,
  regionFaults: RegionFaults | undefined,
  markFaultApplied: () => void,
) => Omit<OperationContext, 'caller' | 'busFaults'>;

/** What the transport decided about the response while serving: `lost` drops it (lostResponseRate). */
interface Exchange {
  lost: boolean;
}

/** Handles one AWS JSON 1.1 request: auth scope → region, faults, dispatch, JSON response. */
export const handleRequest = async (
  req: IncomingMessage,
  res: ServerResponse,
  faults: FaultRegistry,
  makeContext: ContextFactory,
): Promise<void> => {
  const requestId = randomUUID();
  const exchange: Exchange = { lost: false };
  try {
    const output = await serve(req, faults, makeContext, exchange);
    if (exchange.lost) req.socket.destroy();
    else if (output !== REFUSED) send(res, requestId, 200, output ?? {});
  } catch (error) {
    if (exchange.lost) return void req.socket.destroy();
    const apiError =
      error instanceof EventBridgeApiError ? error : new EventBridgeApiError('InternalException', describe(error), 500);
    send(res, requestId, apiError.status, { __type: apiError.code, message: apiError.message }, apiError.code);
  }
};

const REFUSED = Symbol('refused');

/**
 * Runs the operation behind the region's faults; a request a fault touched counts once against
 * `remaining`. A lost response is decided before the operation runs, and the operation still runs.
 */
const serve = async (
  req: IncomingMessage,
  faults: FaultRegistry,
  makeContext: ContextFactory,
  exchange: Exchange,
): Promise<unknown> => {
  const scope = readScope(req);
  const region = scope.region;
  const name = operationName(header(req, 'x-amz-target'));
  const input = await readInput(req);
  const matched = matchRequestFaults(faults, region, name, input);
  let applied = false;
  try {
    let outcome = matched ? await applyRequestFaults(req, matched, faults) : PASSED;
    // A region that went down while the request was held (slowMs) takes the request down with it.
    const after =
      outcome.kind === 'passed' && outcome.affected ? matchRequestFaults(faults, region, name, input) : undefined;
    if (after?.faults.down !== undefined && after.byBus === undefined)
      outcome = await applyRequestFaults(req, after, faults);
    applied = outcome.kind !== 'passed' || outcome.affected;
    if (outcome.kind === 'refused') return REFUSED;
    if (outcome.kind === 'error') throw outcome.error;
    exchange.lost = faults.roll(matched?.faults.lostResponseRate);
    applied ||= exchange.lost;
    const base = makeContext(region, matched?.byBus ? undefined : matched?.faults, () => (applied = true));
    const ctx: OperationContext = {
      ...base,
      caller: principalForAccessKey(scope.accessKeyId),
      ...(matched?.byBus ? { busFaults: matched.byBus } : {}),
    };
    return await (OPERATIONS[name] ?? unknownOperation(name))(input, ctx);
  } finally {
    if (applied) faults.consume('events', region, matched?.faults.bus);
  }
};

/** The region comes from the SigV4 credential scope, as AWS's regional endpoints imply it; the caller from its key. */
const readScope = (req: IncomingMessage): CredentialScope => {
  const scope = parseCredentialScope(header(req, 'authorization'));
  if (!scope) throw new EventBridgeApiError('MissingAuthenticationTokenException', UNSIGNED_MESSAGE);
  if (scope.service !== 'events') {
    throw new EventBridgeApiError(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: 'events'. (got '${scope.service}')`,
    );
  }
  return scope;
};

const UNSIGNED_MESSAGE =
  'Request is missing Authentication Token: the local EventBridge takes the region from the SigV4 credential scope ' +
  '(Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/events/aws4_request). Sign requests with any credentials.';

/** What request-level faults did: refused the connection, answered an error, or let it pass (maybe slowed). */
type FaultOutcome =
  { kind: 'refused' } | { kind: 'error'; error: EventBridgeApiError } | { kind: 'passed'; affected: boolean };

const PASSED: FaultOutcome = { kind: 'passed', affected: false };

/** Faults scoped to some of a call's entries only slow the call; the entries themselves fail in PutEvents. */
const applyRequestFaults = async (
  req: IncomingMessage,
  { faults: regionFaults, byBus }: FaultScope,
  faults: FaultRegistry,
): Promise<FaultOutcome> => {
  if (byBus !== undefined) {
    const slowMs = Math.max(0, ...[...byBus.values()].map((f) => f.slowMs ?? 0));
    if (slowMs) await new Promise((resolve) => setTimeout(resolve, slowMs));
    return { kind: 'passed', affected: slowMs > 0 };
  }
  if (regionFaults.down === 'refuse') {
    req.socket.destroy();
    return { kind: 'refused' };
  }
  if (regionFaults.down === '503') {
    return {
      kind: 'error',
      error: new EventBridgeApiError('ServiceUnavailableException', 'Service is unavailable.', 503),
    };
  }
  if (regionFaults.slowMs) await new Promise((resolve) => setTimeout(resolve, regionFaults.slowMs));
  if (faults.roll(regionFaults.throttleRate))
    return { kind: 'error', error: new EventBridgeApiError('ThrottlingException', 'Rate exceeded') };
  return { kind: 'passed', affected: Boolean(regionFaults.slowMs) };
};

const operationName = (target: string | undefined): string => {
  const match = /^AWSEvents\.(\w+)$/.exec(target ?? '');
  if (!match?.[1])
    throw new EventBridgeApiError(
      'UnknownOperationException',
      `Missing or malformed X-Amz-Target header: ${target ?? '(none)'}; expected AWSEvents.<Operation>.`,
    );
  return match[1];
};

const unknownOperation = (name: string): never => {
  throw new EventBridgeApiError(
    'UnknownOperationException',
    `Operation ${name} is not supported by the local EventBridge endpoint.`,
  );
};

const readInput = async (req: IncomingMessage): Promise<JsonObject> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new EventBridgeApiError('RequestEntityTooLargeException', 'Request body is too large.', 413);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw serializationError('Request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw serializationError('Request body must be a JSON object.');
  return parsed as JsonObject;
};

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const send = (res: ServerResponse, requestId: string, status: number, body: unknown, errorType?: string): void => {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId };
  if (errorType) headers['x-amzn-ErrorType'] = errorType;
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
