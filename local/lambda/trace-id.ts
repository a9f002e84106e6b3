import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** The variable Lambda sets to the invocation's X-Ray trace header before each invocation. */
export const TRACE_ID_VARIABLE = '_X_AMZN_TRACE_ID';

/**
 * A trace header as Lambda creates one when the invoker passed none (pass-through tracing):
 * `Root=1-<epoch seconds, 8 hex>-<24 hex>;Parent=<16 hex>;Sampled=0`.
 */
export const newTraceHeader = (now: number = Date.now()): string => {
  const seconds = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
};

/**
 * Makes `process.env._X_AMZN_TRACE_ID` read the header of the invocation running, in a worker
 * that answers overlapping invocations (Lambda runs one per environment, so a plain assignment
 * before each would let one invocation read another's header after an await). Outside any
 * invocation (module scope, as at a cold start) the variable is unset. Returns how to run a
 * handler under a header.
 */
export const installPerInvocationTraceId = (): (<T>(traceId: string, run: () => T) => T) => {
  const current = new AsyncLocalStorage<string>();
  const isTraceId = (name: string | symbol): boolean => name === TRACE_ID_VARIABLE;
  process.env = new Proxy(process.env, {
    get: (env, name) => (isTraceId(name) ? current.getStore() : Reflect.get(env, name)),
    has: (env, name) => (isTraceId(name) ? current.getStore() !== undefined : Reflect.has(env, name)),
    ownKeys: (env) => [
      ...Reflect.ownKeys(env).filter((name) => !isTraceId(name)),
      ...(current.getStore() === undefined ? [] : [TRACE_ID_VARIABLE]),
    ],
    getOwnPropertyDescriptor: (env, name) => {
      if (!isTraceId(name)) return Reflect.getOwnPropertyDescriptor(env, name);
      const value = current.getStore();
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
    },
  });
  return (traceId, run) => current.run(traceId, run);
};
