import { setTimeout as sleep } from 'node:timers/promises';
import type { FunctionLogLine } from '../lambda/function-telemetry';

/** Where recent log lines of a function come from; `LambdaRuntime.logs` fits. */
export type LogSource = (region: string, functionName: string) => FunctionLogLine[];

/** Lambda returns the last 4 KB of the invocation's log. */
const TAIL_BYTES = 4_096;

/** Worker output reaches the runtime through a stream, a moment after the result; give it this long. */
const LOG_SETTLE_MS = 25;

/** Starts watching a function's log for one invocation; `finish` gives the base64 tail for `X-Amz-Log-Result`. */
export const watchLogTail = (
  source: LogSource | undefined,
  region: string,
  functionName: string,
): { finish(requestId: string, durationMs: number): Promise<string> } => {
  const before = new Set(source?.(region, functionName) ?? []);
  return {
    finish: async (requestId, durationMs) => {
      if (source) await sleep(LOG_SETTLE_MS);
      // Lines the runtime recorded since the invocation started; concurrent invocations of the same function mix in.
      const lines = (source?.(region, functionName) ?? []).filter((line) => !before.has(line)).map((l) => l.line);
      const text = [
        `START RequestId: ${requestId} Version: $LATEST`,
        ...lines,
        `END RequestId: ${requestId}`,
        `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms`,
        '',
      ].join('\n');
      return Buffer.from(text, 'utf8').subarray(-TAIL_BYTES).toString('base64');
    },
  };
};
