import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT_ID } from '../aws/credentials';
import { parseCredentialScope } from '../aws/sigv4';
import type { FaultRegistry } from '../faults/fault-registry';
import { isCutOffByPartition, type Partitions } from '../faults/partitions';
import type { FunctionInvoker } from '../lambda/function-invoker';
import { listenOnLoopback } from '../net/loopback-http';
import type { QueueStore } from '../queues/queue-store';
import { EventRouter } from './event-router';
import { EventInspector } from './inspector';
import { EventBridgeStore } from './store';
import { Timers } from './timers';
import { handleRequest, type ContextFactory } from './transport';

/** PutEvents total entry size limits: the classic 256 KB, and the 1 MB AWS announced in 2026. */
export const ENTRY_BYTES = { classic: 262_144, large: 1_048_576 } as const;

export interface EventBridgeServerOptions {
  /** Loopback port; 0 or omitted picks a free one. */
  port?: number;
  faults: FaultRegistry;
  queues: QueueStore;
  invoker?: FunctionInvoker;
  /** Region partitions: refuse a function's calls across one, and fail bus-to-bus forwarding across one. */
  partitions?: Partitions;
  /** Upper bound for the summed entry sizes of one PutEvents call (default 262144). */
  maxEntryBytes?: number;
  accountId?: string;
  /** Real retry delay = AWS-like backoff × this (default 0.001: AWS's default 185 retries take under a minute). */
  retryTimeScale?: number;
  /** Events kept per bus by the inspector (default 10,000). */
  eventsPerBus?: number;
  now?: () => Date;
  random?: () => number;
}

export interface EventBridgeServer {
  readonly port: number;
  readonly endpoint: string;
  readonly store: EventBridgeStore;
  readonly inspector: EventInspector;
  stop(): Promise<void>;
}

/** Starts the local EventBridge endpoint (AWS JSON 1.1 on 127.0.0.1), region taken from each request's SigV4 scope. */
export const startEventBridgeServer = async (options: EventBridgeServerOptions): Promise<EventBridgeServer> => {
  const { store, inspector, timers, makeContext } = assemble(options);
  const server = await listenOnLoopback((req, res) => {
    // Refused the way `down: 'refuse'` is: the caller's connection is reset.
    if (isCutOffByPartition(options.partitions, parseCredentialScope(req.headers.authorization)))
      return void req.socket.resetAndDestroy();
    serveSafely(req, res, () => handleRequest(req, res, options.faults, makeContext));
  }, options.port);
  return {
    port: server.port,
    endpoint: server.endpoint,
    store,
    inspector,
    stop: async () => {
      timers.stop();
      await server.close();
      await settleWithin(inspector.idle(), STOP_GRACE_MS);
    },
  };
};

/**
 * Runs one request so that nothing it does can end the process or leave the caller waiting: a rejection is logged
 * and answered as AWS answers an internal error, and a response left unfinished (its body could not be written
 * after the head was) is cut off by closing the socket, since its status can no longer change.
 */
const serveSafely = (req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>): void => {
  const finish = (error?: unknown): void => {
    // The socket is gone once destroyed, and detached (null) once the server let go of it.
    const socket = req.socket as IncomingMessage['socket'] | null;
    const answered = res.writableEnded || res.destroyed || socket === null || socket.destroyed;
    if (answered && error === undefined) return;
    console.error(
      `eventbridge: ${req.headers['x-amz-target'] ?? req.url} failed:`,
      error ?? 'response left unfinished',
    );
    if (answered) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(500, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': 'InternalException' });
    res.end(JSON.stringify({ __type: 'InternalException', message: 'The request could not be answered.' }));
  };
  handle().then(() => finish(), finish);
};

/** Wires store, inspector, router and the per-request context from validated options. */
const assemble = (options: EventBridgeServerOptions) => {
  const { maxEntryBytes, retryTimeScale } = validateOptions(options);
  const now = options.now ?? (() => new Date());
  const store = new EventBridgeStore(options.accountId ?? LOCAL_ACCOUNT_ID, now);
  const inspector = new EventInspector(options.eventsPerBus);
  const timers = new Timers();
  const { faults, queues, invoker, partitions } = options;
  const router = new EventRouter({
    store,
    inspector,
    timers,
    now,
    queues,
    faults,
    invoker,
    partitions,
    retryTimeScale,
    random: options.random ?? Math.random,
  });
  const makeContext: ContextFactory = (region, regionFaults, markFaultApplied) => ({
    region,
    accountId: store.accountId,
    store,
    router,
    inspector,
    faults,
    internalFailureRate: regionFaults?.internalFailureRate,
    maxEntryBytes,
    now,
    markFaultApplied,
  });
  return { store, inspector, timers, makeContext };
};

const validateOptions = (options: EventBridgeServerOptions): { maxEntryBytes: number; retryTimeScale: number } => {
  const maxEntryBytes = options.maxEntryBytes ?? ENTRY_BYTES.classic;
  if (!Number.isInteger(maxEntryBytes) || maxEntryBytes < 1)
    throw new RangeError(`maxEntryBytes must be a positive integer, got ${maxEntryBytes}`);
  const retryTimeScale = options.retryTimeScale ?? 0.001;
  if (!(retryTimeScale >= 0 && retryTimeScale <= 1))
    throw new RangeError(`retryTimeScale must be a number from 0 to 1, got ${retryTimeScale}`);
  return { maxEntryBytes, retryTimeScale };
};

/** How long stop() waits for in-flight target calls; a function that never answers must not hang shutdown. */
const STOP_GRACE_MS = 5_000;

const settleWithin = async (work: Promise<void>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([work, grace]);
  clearTimeout(timer);
};
