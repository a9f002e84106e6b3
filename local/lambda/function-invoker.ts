/** Raised when an invocation names a function that is not deployed in that region. */
export class FunctionNotFoundError extends Error {
  constructor(
    readonly region: string,
    readonly functionName: string,
  ) {
    super(`Function not found: ${functionName} in ${region}. Deploy it to the local Lambda runtime first.`);
    this.name = 'FunctionNotFoundError';
  }
}

/** Raised when the function's handler threw or timed out; carries Lambda's error type and message. */
export class FunctionInvocationError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(`${functionName} failed: ${errorType}: ${errorMessage}`);
    this.name = 'FunctionInvocationError';
  }
}

/**
 * Raised while a region's functions are stopped (a drill's regional outage): the Lambda service
 * answers nothing there. Still a FunctionInvocationError, so callers that retry those retry this.
 */
export class FunctionServiceUnavailableError extends FunctionInvocationError {
  constructor(
    readonly region: string,
    functionName: string,
  ) {
    super(functionName, 'ServiceUnavailableException', `The Lambda service in ${region} is unavailable.`);
    this.name = 'FunctionServiceUnavailableError';
  }
}

/** What an invoking service passes along besides the payload. */
export interface InvokeOptions {
  /** The X-Ray trace header the caller carries (an EventBridge rule passes the one its event came with). */
  traceHeader?: string;
}

/**
 * How the local EventBridge and event source mappings reach a function: one synchronous
 * invocation in a region, resolving with the handler's result. Retries, DLQs and
 * asynchronous semantics belong to the caller.
 */
export interface FunctionInvoker {
  invoke(region: string, functionName: string, payload: unknown, options?: InvokeOptions): Promise<unknown>;
}

/** Parses `arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]`. */
export const parseFunctionArn = (arn: string): { region: string; functionName: string } | undefined => {
  const match = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):\d{12}:function:([A-Za-z0-9_-]+)(?::[\w$-]+)?$/.exec(arn);
  return match?.[1] && match[2] ? { region: match[1], functionName: match[2] } : undefined;
};
