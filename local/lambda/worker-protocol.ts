/** Messages between the local Lambda runtime and a function's worker thread. */

/** What the worker needs to rebuild a Lambda context; functions cannot cross a thread. */
export interface InvokeContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch ms at which the invocation times out. */
  deadline: number;
}

/** Runs one invocation in the worker. */
export interface InvokeMessage {
  type: 'invoke';
  id: number;
  /** The event as JSON text: Lambda hands functions parsed JSON, never shared objects. */
  event: string;
  context: InvokeContext;
  /** `_X_AMZN_TRACE_ID` for this invocation only, as Lambda sets it before each one. */
  traceId: string;
}

/** Sent once the handler module has been loaded (or failed to load). */
export interface ReadyMessage {
  type: 'ready';
}

/** The outcome of one invocation, matched to its request by id. */
export type ResultMessage =
  | { type: 'result'; id: number; ok: true; result: string | undefined }
  | { type: 'result'; id: number; ok: false; errorType: string; errorMessage: string };

/** What a worker loads at start. */
export interface WorkerBootData {
  bundlePath: string;
  handlerExport: string;
  /** One Int32: the region's clock skew in ms, which the runtime updates while the worker runs. */
  clockSkew?: SharedArrayBuffer;
}
