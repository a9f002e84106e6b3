import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { functionAccessKeyId } from '../aws/caller-region';
import { LOCAL_ACCOUNT_ID, localCredentials } from '../aws/credentials';
import {
  FunctionInvocationError,
  FunctionNotFoundError,
  FunctionServiceUnavailableError,
  type FunctionInvoker,
  type InvokeOptions,
} from './function-invoker';
import { FunctionTelemetry, TIMED_OUT, type FunctionLogLine, type FunctionStats } from './function-telemetry';
import { FunctionWorker } from './function-worker';
import { RegionStates } from './region-states';
import { newTraceHeader } from './trace-id';
import type { InvokeContext } from './worker-protocol';

export type { FunctionLogLine, FunctionStats } from './function-telemetry';

/** One region's copy of a function, as the local cloud deploys it. */
export interface FunctionDeployment {
  region: string;
  functionName: string;
  /** The esbuild output from bundleFunctions(). */
  bundlePath: string;
  handlerExport?: string;
  /** The function's own environment; the runtime adds the variables Lambda sets. */
  environment: Record<string, string>;
  timeoutMs?: number;
  memorySizeMb?: number;
}

/** Log retention and forwarding for every function of a runtime. */
export interface LambdaRuntimeOptions {
  /** Log lines kept per function. */
  logCapacity?: number;
  /** Receives every line as it is written, e.g. to print or to forward to a test. */
  onLog?: (line: FunctionLogLine) => void;
}

interface Deployed {
  deployment: Required<FunctionDeployment>;
  telemetry: FunctionTelemetry;
  worker?: Promise<FunctionWorker>;
}

const key = (region: string, functionName: string): string => `${region}/${functionName}`;

/** Runs each region's functions in their own worker threads, with that region's environment. */
export class LambdaRuntime implements FunctionInvoker {
  /** Drill state per region: functions stopped or running, clock skew. */
  readonly regionStates = new RegionStates();
  private readonly functions = new Map<string, Deployed>();

  constructor(private readonly options: LambdaRuntimeOptions = {}) {
    this.regionStates.onStopped((region) => void this.terminateRegion(region));
  }

  /** Terminates every worker of a region: what is running fails as a runtime exit; the next invoke cold-starts. */
  private async terminateRegion(region: string): Promise<void> {
    const workers = [...this.functions.values()]
      .filter((d) => d.deployment.region === region)
      .map((d) => {
        const worker = d.worker;
        d.worker = undefined;
        return worker;
      });
    await Promise.all(workers.map(async (w) => (await w?.catch(() => undefined))?.terminate()));
  }

  /** Deploys (or redeploys) a function in a region; the next invocation cold-starts it. */
  async deploy(deployment: FunctionDeployment): Promise<void> {
    const id = key(deployment.region, deployment.functionName);
    const previous = this.functions.get(id);
    const full = { handlerExport: 'handler', timeoutMs: 6_000, memorySizeMb: 1_024, ...deployment };
    this.functions.set(id, {
      deployment: full,
      telemetry: previous?.telemetry ?? new FunctionTelemetry(this.options.logCapacity ?? 1_000),
    });
    await (await previous?.worker?.catch(() => undefined))?.terminate();
  }

  /**
   * Invokes synchronously (RequestResponse), resolving with the handler's JSON result. The handler
   * sees the caller's trace header in `_X_AMZN_TRACE_ID`, or a new one when the caller passed none,
   * as Lambda does with pass-through tracing (Lambda may add fields such as `Lineage`; this does not).
   */
  async invoke(region: string, functionName: string, payload: unknown, options: InvokeOptions = {}): Promise<unknown> {
    const deployed = this.functions.get(key(region, functionName));
    if (!deployed) throw new FunctionNotFoundError(region, functionName);
    if (this.regionStates.isStopped(region)) throw new FunctionServiceUnavailableError(region, functionName);
    const worker = await this.workerFor(deployed).catch((error: unknown) => {
      throw new FunctionInvocationError(
        functionName,
        'Runtime.InitError',
        error instanceof Error ? error.message : String(error),
      );
    });
    const context = this.buildContext(deployed.deployment);
    const started = performance.now();
    deployed.telemetry.stats.inFlight += 1;
    const traceId = options.traceHeader ?? newTraceHeader();
    const outcome = await worker.invoke(payload, context, traceId).finally(() => {
      deployed.telemetry.stats.inFlight -= 1;
    });
    deployed.telemetry.recordInvocation(performance.now() - started, outcome.ok ? undefined : outcome.errorType);
    if (outcome.ok) return outcome.result;
    // As the Lambda runtime does, the failure goes to the function's log: a scheduled or async caller may drop it.
    this.recordLine(deployed, {
      region: deployed.deployment.region,
      functionName: deployed.deployment.functionName,
      stream: 'stderr',
      line: JSON.stringify({ errorType: outcome.errorType, errorMessage: outcome.errorMessage }),
      at: new Date().toISOString(),
    });
    // AWS recycles the execution environment after a timeout; a stuck handler must not linger.
    if (outcome.errorType === TIMED_OUT && worker.inFlight === 0) await worker.terminate();
    throw new FunctionInvocationError(functionName, outcome.errorType, outcome.errorMessage);
  }

  /** What was deployed for the function (bundle, environment, timeout), or undefined when it is not deployed. */
  deployment(region: string, functionName: string): Readonly<Required<FunctionDeployment>> | undefined {
    return this.functions.get(key(region, functionName))?.deployment;
  }

  /** The function's recent log lines, oldest first. */
  logs(region: string, functionName: string): FunctionLogLine[] {
    return this.functions.get(key(region, functionName))?.telemetry.logs() ?? [];
  }

  /** The function's counters, or undefined when it is not deployed. */
  stats(region: string, functionName: string): FunctionStats | undefined {
    const stats = this.functions.get(key(region, functionName))?.telemetry.stats;
    return stats
      ? { ...stats, errorTypes: { ...stats.errorTypes }, recentDurationsMs: [...stats.recentDurationsMs] }
      : undefined;
  }

  /** Terminates every worker; deployments stay, so a later invoke cold-starts again. */
  async stop(): Promise<void> {
    const workers = [...this.functions.values()].map((d) => d.worker);
    for (const deployed of this.functions.values()) deployed.worker = undefined;
    await Promise.all(workers.map(async (w) => (await w?.catch(() => undefined))?.terminate()));
  }

  /** The live worker, cold-starting one when there is none or it crashed; concurrent callers share one restart. */
  private async workerFor(deployed: Deployed): Promise<FunctionWorker> {
    const current = deployed.worker;
    if (current) {
      const worker = await current.catch(() => undefined);
      if (worker?.alive) return worker;
      if (deployed.worker !== current && deployed.worker) return this.workerFor(deployed);
    }
    return this.restart(deployed);
  }

  /** Starts a fresh worker: a cold start, which also follows a crash. */
  private restart(deployed: Deployed): Promise<FunctionWorker> {
    const { region, functionName, bundlePath, handlerExport } = deployed.deployment;
    deployed.telemetry.stats.coldStarts += 1;
    const worker = FunctionWorker.start({
      name: key(region, functionName),
      bundlePath,
      handlerExport,
      clockSkew: this.regionStates.clockBuffer(region),
      env: buildEnvironment(deployed.deployment),
      onLine: (stream, line) =>
        this.recordLine(deployed, { region, functionName, stream, line, at: new Date().toISOString() }),
      onExit: () => undefined,
    });
    deployed.worker = worker;
    return worker;
  }

  private recordLine(deployed: Deployed, line: FunctionLogLine): void {
    deployed.telemetry.addLine(line);
    this.options.onLog?.(line);
  }

  private buildContext(deployment: Required<FunctionDeployment>): InvokeContext {
    const { region, functionName, timeoutMs, memorySizeMb } = deployment;
    return {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
      memoryLimitInMB: String(memorySizeMb),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `local/[$LATEST]${region}`,
      deadline: Date.now() + timeoutMs,
    };
  }
}

/** Exactly the function's environment plus what Lambda itself sets in that region. */
const buildEnvironment = (deployment: Required<FunctionDeployment>): Record<string, string> => ({
  ...deployment.environment,
  AWS_REGION: deployment.region,
  AWS_DEFAULT_REGION: deployment.region,
  AWS_LAMBDA_FUNCTION_NAME: deployment.functionName,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(deployment.memorySizeMb),
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${deployment.functionName}`,
  AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${deployment.region}`,
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
  // Names the calling region to the local engines, which need it for partitions; the DynamoDB proxy maps it to the shared key.
  AWS_ACCESS_KEY_ID: functionAccessKeyId(deployment.region),
  AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  LAMBDA_TASK_ROOT: dirname(deployment.bundlePath),
  _HANDLER: `handler.${deployment.handlerExport}`,
  TZ: 'UTC',
});
