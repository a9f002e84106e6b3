/**
 * Entry of a function's worker thread: loads the bundled handler once (module scope runs with this
 * worker's own process.env, as a cold start does) and answers invoke messages concurrently.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { installOutputDeadline } from './output-deadline';
import { installSkewedDate } from './skewed-date';
import { installPerInvocationTraceId } from './trace-id';
import type { InvokeContext, InvokeMessage, ResultMessage, WorkerBootData } from './worker-protocol';

type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

const boot = workerData as WorkerBootData;
// Before the bundle loads, so its modules capture the skewed Date; deadlines stay on real time.
const RealDate = boot.clockSkew ? installSkewedDate(new Int32Array(boot.clockSkew)) : Date;
// Also before the bundle loads: any module that keeps `process.env` keeps the per-invocation view.
const withTraceId = installPerInvocationTraceId();
// What an invocation writes after its deadline is dropped, as a frozen environment writes nothing.
const withDeadline = installOutputDeadline(() => RealDate.now());

const describeError = (error: unknown): { errorType: string; errorMessage: string } =>
  error instanceof Error
    ? { errorType: error.name || error.constructor.name, errorMessage: error.message }
    : { errorType: typeof error, errorMessage: String(error) };

const loadHandler = (): Handler | { errorType: string; errorMessage: string } => {
  try {
    const module = createRequire(boot.bundlePath)(boot.bundlePath) as Record<string, unknown>;
    const handler = module[boot.handlerExport];
    if (typeof handler === 'function') return handler as Handler;
    return {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${boot.bundlePath}.${boot.handlerExport} is undefined or not exported`,
    };
  } catch (error) {
    return { errorType: 'Runtime.ImportModuleError', errorMessage: describeError(error).errorMessage };
  }
};

const loaded = loadHandler();
// Init is over: Lambda starts the invocation clock only now, so a slow cold start does not eat the timeout.
parentPort?.postMessage({ type: 'ready' });

const buildContext = (context: InvokeContext): Record<string, unknown> => ({
  ...context,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, context.deadline - RealDate.now()),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** Supports async handlers and the older callback style, whichever the function uses. */
const runHandler = (handler: Handler, event: unknown, context: Record<string, unknown>): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const callback = (error?: unknown, result?: unknown): void => (error ? reject(error) : resolve(result));
    const returned = handler(event, context, callback);
    if (returned && typeof (returned as Promise<unknown>).then === 'function')
      (returned as Promise<unknown>).then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });

const answer = async (message: InvokeMessage): Promise<ResultMessage> => {
  if (typeof loaded !== 'function') return { type: 'result', id: message.id, ok: false, ...loaded };
  try {
    const result = await withDeadline(message.context.deadline, () =>
      withTraceId(message.traceId, () => runHandler(loaded, JSON.parse(message.event), buildContext(message.context))),
    );
    return {
      type: 'result',
      id: message.id,
      ok: true,
      result: result === undefined ? undefined : JSON.stringify(result),
    };
  } catch (error) {
    return { type: 'result', id: message.id, ok: false, ...describeError(error) };
  }
};

parentPort?.on('message', (message: InvokeMessage) => {
  void answer(message).then((reply) => parentPort?.postMessage(reply));
});
