/** A condition poll for e2e waits: resolves with the first value that is not undefined/false. */
export type Check<T> = () => Promise<T | undefined | false> | T | undefined | false;

/** Polls `check` every `pollMs` until it yields a value, or throws naming `what` (and the last error seen). */
export const waitFor = async <T>(what: string, check: Check<T>, timeoutMs: number, pollMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
};
