import type { IncomingMessage, ServerResponse } from 'node:http';
import { FunctionInvocationError, FunctionNotFoundError, type FunctionInvoker } from '../lambda/function-invoker';
import { LambdaApiError, MAX_PAYLOAD_BYTES, readBody, send } from './http-io';
import { functionNotFound, resolveFunctionName, type FunctionRef } from './function-name';
import { watchLogTail, type LogSource } from './log-tail';

/** What the Invoke route needs from the local cloud. */
export interface InvokeDeps {
  invoker: FunctionInvoker;
  logs?: LogSource;
  /** Lets DryRun and Event answer 404 for a function that is not deployed; without it they cannot tell. */
  isDeployed?: (region: string, functionName: string) => boolean;
  /** The stage whose deployed names (`switchyard-<stage>-<fn>`) alias the local functions. */
  stage?: string;
  /** Event invocations still running, so stop() can let them finish. */
  background: Set<Promise<unknown>>;
}

/** One Invoke request after routing: the region from the SigV4 scope and the FunctionName path segment. */
export interface InvokeRequest {
  region: string;
  rawFunctionName: string;
  qualifier?: string;
  requestId: string;
}

const INVOCATION_TYPES = new Set(['RequestResponse', 'Event', 'DryRun']);

/**
 * `POST /2015-03-31/functions/{FunctionName}/invocations`: RequestResponse runs the function and
 * answers 200 with its result (or its error, flagged by `X-Amz-Function-Error`), Event answers
 * 202 and runs it in the background, DryRun answers 204.
 */
export const invokeFunction = async (
  req: IncomingMessage,
  res: ServerResponse,
  deps: InvokeDeps,
  request: InvokeRequest,
): Promise<void> => {
  const target = resolveFunctionName(request.rawFunctionName, request.region, request.qualifier, deps.stage);
  const invocationType = headerOf(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (!INVOCATION_TYPES.has(invocationType)) {
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  const payload = parsePayload(await readBody(req, MAX_PAYLOAD_BYTES));
  if (deps.isDeployed && !deps.isDeployed(request.region, target.functionName)) throw functionNotFound(target);
  const headers = { 'x-amzn-RequestId': request.requestId, 'X-Amz-Executed-Version': '$LATEST' };
  if (invocationType === 'DryRun') return send(res, 204, headers);
  if (invocationType === 'Event') {
    const running = deps.invoker.invoke(request.region, target.functionName, payload).catch(() => undefined);
    deps.background.add(running);
    void running.finally(() => deps.background.delete(running));
    return send(res, 202, headers);
  }
  const tail =
    headerOf(req, 'x-amz-log-type') === 'Tail'
      ? watchLogTail(deps.logs, request.region, target.functionName)
      : undefined;
  const started = performance.now();
  const outcome = await runFunction(deps.invoker, request.region, target, payload);
  const logResult = await tail?.finish(request.requestId, performance.now() - started);
  send(
    res,
    200,
    {
      ...headers,
      'Content-Type': 'application/json',
      ...(outcome.functionError && { 'X-Amz-Function-Error': outcome.functionError }),
      ...(logResult !== undefined && { 'X-Amz-Log-Result': logResult }),
    },
    outcome.body,
  );
};

/** Runs the function once; a handler error is a 200 with the error as payload, as Lambda answers. */
const runFunction = async (
  invoker: FunctionInvoker,
  region: string,
  target: FunctionRef,
  payload: unknown,
): Promise<{ body: string; functionError?: string }> => {
  try {
    const result = await invoker.invoke(region, target.functionName, payload);
    return { body: JSON.stringify(result ?? null) };
  } catch (error) {
    if (error instanceof FunctionNotFoundError) throw functionNotFound(target);
    if (error instanceof FunctionInvocationError) {
      return {
        body: JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage }),
        functionError: 'Unhandled',
      };
    }
    throw new LambdaApiError(
      500,
      'ServiceException',
      error instanceof Error ? error.message : String(error),
      'message',
      'Service',
    );
  }
};

/** Lambda hands the function parsed JSON; an empty payload is the empty object. */
const parsePayload = (body: Buffer | undefined): unknown => {
  if (body === undefined) {
    throw new LambdaApiError(
      413,
      'RequestTooLargeException',
      `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
    );
  }
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LambdaApiError(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
