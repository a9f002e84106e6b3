import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { principalForAccessKey } from '../aws/principals';
import { parseCredentialScope } from '../aws/sigv4';
import type { FunctionInvoker } from '../lambda/function-invoker';
import { listenOnLoopback } from '../net/loopback-http';
import { sendStsError, serveSts } from './caller-identity';
import { LambdaApiError, sendLambdaError } from './http-io';
import { invokeFunction, type InvokeDeps } from './invoke-function';
import type { LogSource } from './log-tail';

export interface LambdaApiServerOptions {
  /** Loopback port; 0 or omitted picks a free one. */
  port?: number;
  invoker: FunctionInvoker;
  /** Recent log lines per function (e.g. `(r, f) => runtime.logs(r, f)`), for `X-Amz-Log-Type: Tail`. */
  logs?: LogSource;
  /** Lets DryRun and Event invocations answer 404 for a function that is not deployed. */
  isDeployed?: (region: string, functionName: string) => boolean;
  /** Also answers a function's deployed name, `switchyard-<stage>-<fn>`, for this stage. */
  stage?: string;
}

export interface LambdaApiServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

/** How long stop() waits for Event invocations still running. */
const STOP_GRACE_MS = 5_000;

/**
 * Starts the local Lambda Invoke endpoint (REST, `/2015-03-31/functions/{name}/invocations`) and
 * STS GetCallerIdentity (Query protocol, `/`) on 127.0.0.1; the region comes from the SigV4 scope
 * and the caller's identity from its access key id.
 */
export const startLambdaApiServer = async (options: LambdaApiServerOptions): Promise<LambdaApiServer> => {
  const deps: InvokeDeps = {
    invoker: options.invoker,
    logs: options.logs,
    isDeployed: options.isDeployed,
    stage: options.stage,
    background: new Set(),
  };
  const server = await listenOnLoopback((req, res) => void handle(deps, req, res), options.port);
  return {
    endpoint: server.endpoint,
    port: server.port,
    stop: async () => {
      await server.close();
      const grace = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
      await Promise.race([Promise.allSettled([...deps.background]), grace]);
    },
  };
};

/** Routes one request: Invoke by path, STS at `/`; every error answers in the shape of the API it was meant for. */
const handle = async (deps: InvokeDeps, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const authorization = req.headers.authorization;
  const scope = parseCredentialScope(Array.isArray(authorization) ? authorization[0] : authorization, url.searchParams);
  try {
    const invoke = INVOKE_PATH.exec(url.pathname);
    if (url.pathname === '/' && !invoke) {
      if (!scope) return sendStsError(res, requestId, 403, 'MissingAuthenticationToken', MISSING_SIGNATURE);
      return await serveSts(req, res, url, principalForAccessKey(scope.accessKeyId), requestId);
    }
    if (!invoke?.[1] || req.method !== 'POST') {
      throw new LambdaApiError(
        404,
        'UnknownOperationException',
        `The local Lambda API has no ${req.method} ${url.pathname}; it serves Invoke only.`,
      );
    }
    if (!scope) throw new LambdaApiError(403, 'MissingAuthenticationTokenException', MISSING_SIGNATURE);
    await invokeFunction(req, res, deps, {
      region: scope.region,
      rawFunctionName: decodeURIComponent(invoke[1]),
      qualifier: url.searchParams.get('Qualifier') ?? undefined,
      requestId,
    });
  } catch (error) {
    const apiError =
      error instanceof LambdaApiError
        ? error
        : new LambdaApiError(
            500,
            'ServiceException',
            error instanceof Error ? error.message : String(error),
            'message',
            'Service',
          );
    sendLambdaError(res, requestId, apiError);
  }
};

const MISSING_SIGNATURE =
  'Missing Authentication Token: the local Lambda API takes the region and the caller from the SigV4 credential scope; sign requests with any credentials.';
