import { build } from 'esbuild';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { TIMED_OUT } from './function-telemetry';
import type { InvokeContext, ReadyMessage, ResultMessage, WorkerBootData } from './worker-protocol';

/** What a worker settles an invocation with. */
export type WorkerOutcome = { ok: true; result: unknown } | { ok: false; errorType: string; errorMessage: string };

let workerSource: Promise<string> | undefined;

/**
 * The worker entry is TypeScript; it is compiled once per process and run with `eval`, so no
 * build artefact is shared between test processes that start runtimes at the same time.
 */
const compileWorkerSource = (): Promise<string> => {
  workerSource ??= build({
    entryPoints: [join(__dirname, 'lambda-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then((out) => out.outputFiles[0]?.text ?? '');
  return workerSource;
};

/** How to start a worker: the bundle, its env, and where its output and exit go. */
export interface FunctionWorkerOptions extends WorkerBootData {
  name: string;
  env: Record<string, string>;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  onExit: (reason: string) => void;
}

/** One worker thread running one region's copy of a function; invocations may overlap. */
export class FunctionWorker {
  private readonly pending = new Map<number, (outcome: WorkerOutcome) => void>();
  private nextId = 1;
  private exited = false;

  private constructor(private readonly worker: Worker) {}

  /** Starts the worker; module scope (cold start) runs immediately with the given env. */
  static async start(options: FunctionWorkerOptions): Promise<FunctionWorker> {
    const boot: WorkerBootData = {
      bundlePath: options.bundlePath,
      handlerExport: options.handlerExport,
      clockSkew: options.clockSkew,
    };
    const worker = new Worker(await compileWorkerSource(), {
      eval: true,
      name: options.name,
      workerData: boot,
      env: options.env,
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    const handle = new FunctionWorker(worker);
    pipeLines(worker.stdout, (line) => options.onLine('stdout', line));
    pipeLines(worker.stderr, (line) => options.onLine('stderr', line));
    const ready = waitForReady(worker);
    worker.on('message', (message: ResultMessage | ReadyMessage) => {
      if (message.type === 'result') handle.settle(message);
    });
    worker.on('error', (error) => handle.fail(`${error.name}: ${error.message}`, options.onExit));
    worker.on('exit', (code) => handle.fail(`exit status ${code}`, options.onExit));
    await ready;
    return handle;
  }

  get alive(): boolean {
    return !this.exited;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Runs one invocation under its trace header; settles with a timeout failure at the context's deadline. */
  invoke(event: unknown, context: InvokeContext, traceId: string): Promise<WorkerOutcome> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timeoutMs = Math.max(0, context.deadline - Date.now());
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({
          ok: false,
          errorType: TIMED_OUT,
          errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
        });
      }, timeoutMs);
      this.pending.set(id, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      this.worker.postMessage({ type: 'invoke', id, event: JSON.stringify(event ?? null), context, traceId });
    });
  }

  async terminate(): Promise<void> {
    this.exited = true;
    await this.worker.terminate();
  }

  private settle(message: ResultMessage): void {
    const resolve = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (!resolve) return;
    if (message.ok) resolve({ ok: true, result: message.result === undefined ? null : JSON.parse(message.result) });
    else resolve({ ok: false, errorType: message.errorType, errorMessage: message.errorMessage });
  }

  /** A crashed worker fails everything in flight, as a Lambda runtime exit does. */
  private fail(reason: string, onExit: (reason: string) => void): void {
    const wasAlive = !this.exited;
    this.exited = true;
    for (const resolve of this.pending.values())
      resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage: `Runtime exited: ${reason}` });
    this.pending.clear();
    if (wasAlive) onExit(reason);
  }
}

/** Resolves when the handler module has loaded; rejects when the worker dies during init. */
const waitForReady = (worker: Worker): Promise<void> =>
  new Promise((resolve, reject) => {
    worker.on('message', (message: ReadyMessage | ResultMessage) => {
      if (message.type === 'ready') resolve();
    });
    worker.once('error', (error) => reject(new Error(`Init failed: ${error.name}: ${error.message}`)));
    worker.once('exit', (code) => reject(new Error(`Init failed: runtime exited with status ${code}`)));
  });

const pipeLines = (stream: Readable, onLine: (line: string) => void): void => {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
};
