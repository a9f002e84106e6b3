import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Lambda freezes an environment when an invocation times out: nothing the handler would write
 * after its deadline is seen, log lines and EMF metrics included. A worker answers overlapping
 * invocations and cannot freeze one of them, so it drops what each writes to stdout or stderr
 * after that invocation's deadline (otherwise a timed-out handler that finishes later would count
 * its metrics once, and its retry again). Returns how to run a handler under its deadline.
 */
export const installOutputDeadline = (now: () => number): (<T>(deadline: number, run: () => T) => T) => {
  const current = new AsyncLocalStorage<number>();
  const late = (): boolean => {
    const deadline = current.getStore();
    return deadline !== undefined && now() > deadline;
  };
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((...args: unknown[]) => (late() ? true : write(...args))) as typeof stream.write;
  }
  return (deadline, run) => current.run(deadline, run);
};
