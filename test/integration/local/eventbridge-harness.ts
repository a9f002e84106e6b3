import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { startControlServer, type ControlServer } from '../../../local/control/control-server';
import { FaultRegistry } from '../../../local/faults/fault-registry';
import {
  FunctionInvocationError,
  FunctionNotFoundError,
  type FunctionInvoker,
} from '../../../local/lambda/function-invoker';
import { QueueStore } from '../../../local/queues/queue-store';
import { eventBridgeControlRoutes, startEventBridgeServer, type EventBridgeServer } from '../../../local/eventbridge';

/** The local EventBridge plus its control routes, on ephemeral ports, for one test file. */
export interface EventBridgeHarness {
  server: EventBridgeServer;
  control: ControlServer;
  faults: FaultRegistry;
  queues: QueueStore;
  invoker: RecordingInvoker;
  /** A real SDK client signed for `region`; credentials are arbitrary, as against AWS they would not be. */
  client(region: string, config?: Partial<EventBridgeClientConfig>): EventBridgeClient;
  /** GETs a control route and returns its JSON body. */
  inspect<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export const ACCOUNT = '000000000000';
export const anyCredentials = { accessKeyId: 'AKIATESTCALLER', secretAccessKey: 'not-checked' };

/** Starts a fresh endpoint; `random` makes fault rates deterministic when a test needs it. */
export const startEventBridgeHarness = async (
  options: { maxEntryBytes?: number; random?: () => number; eventsPerBus?: number } = {},
): Promise<EventBridgeHarness> => {
  const faults = new FaultRegistry(options.random);
  const queues = new QueueStore();
  const invoker = new RecordingInvoker();
  const server = await startEventBridgeServer({
    faults,
    queues,
    invoker,
    maxEntryBytes: options.maxEntryBytes,
    eventsPerBus: options.eventsPerBus,
    retryTimeScale: 0.0001,
  });
  const control = await startControlServer(eventBridgeControlRoutes({ inspector: server.inspector, queues }));
  const clients: EventBridgeClient[] = [];
  return {
    server,
    control,
    faults,
    queues,
    invoker,
    client: (region, config = {}) => {
      const client = new EventBridgeClient({
        endpoint: server.endpoint,
        region,
        credentials: anyCredentials,
        ...config,
      });
      clients.push(client);
      return client;
    },
    inspect: async <T>(path: string): Promise<T> => (await fetch(`${control.endpoint}${path}`)).json() as Promise<T>,
    stop: async () => {
      for (const client of clients) client.destroy();
      await control.stop();
      await server.stop();
    },
  };
};

type Behaviour =
  | { kind: 'ok' }
  | { kind: 'fail-times'; remaining: number }
  | { kind: 'always-fail' }
  | { kind: 'wait'; until: Promise<void> };

/**
 * A real in-process FunctionInvoker: records every call and behaves per function name as the
 * test configures it (succeed, fail N times first, always fail, wait for a gate). Unknown names are not deployed.
 */
export class RecordingInvoker implements FunctionInvoker {
  readonly calls: Array<{ region: string; functionName: string; payload: unknown }> = [];
  private readonly behaviours = new Map<string, Behaviour>();

  deploy(region: string, functionName: string, behaviour: Behaviour = { kind: 'ok' }): void {
    this.behaviours.set(`${region}|${functionName}`, { ...behaviour });
  }

  callsTo(functionName: string): Array<{ region: string; payload: unknown }> {
    return this.calls.filter((c) => c.functionName === functionName);
  }

  async invoke(region: string, functionName: string, payload: unknown): Promise<unknown> {
    this.calls.push({ region, functionName, payload });
    const behaviour = this.behaviours.get(`${region}|${functionName}`);
    if (!behaviour) throw new FunctionNotFoundError(region, functionName);
    if (behaviour.kind === 'wait') await behaviour.until;
    if (behaviour.kind === 'always-fail')
      throw new FunctionInvocationError(functionName, 'Error', 'downstream unavailable');
    if (behaviour.kind === 'fail-times' && behaviour.remaining > 0) {
      behaviour.remaining -= 1;
      throw new FunctionInvocationError(functionName, 'Error', 'transient failure');
    }
    return { ok: true };
  }
}

/** `arn:aws:lambda:<region>:<account>:function:<name>`. */
export const functionArn = (region: string, name: string): string =>
  `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;

/** `arn:aws:sqs:<region>:<account>:<name>`. */
export const queueArn = (region: string, name: string): string => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;

/** `arn:aws:events:<region>:<account>:event-bus/<name>`. */
export const busArn = (region: string, name: string): string => `arn:aws:events:${region}:${ACCOUNT}:event-bus/${name}`;

/** A valid PutEvents entry; override any field. */
export const orderPlaced = (overrides: Record<string, unknown> = {}) => ({
  Source: 'com.example.orders',
  DetailType: 'OrderPlaced',
  Detail: JSON.stringify({ orderId: 'o-1', total: 42.5 }),
  ...overrides,
});

/** Settles a call that should fail and returns what it threw, so several can be started before asserting. */
export const failureOf = async (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => new Error('expected the call to fail, but it succeeded'),
    (error: unknown) => error,
  );
