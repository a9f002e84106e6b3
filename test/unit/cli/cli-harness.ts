import type { AdminRequest, AdminResponse } from '../../../cli/admin-client';
import { runCli } from '../../../cli/main';
import type { CliIo } from '../../../cli/session';
import type { Target } from '../../../cli/target';

/** How the fake admin answers one request: a result, a refusal, or a thrown transport error. */
export type Answer = (request: AdminRequest) => AdminResponse | Promise<AdminResponse>;

/** One in-process run of the CLI against a fake admin: what it sent, printed, wrote, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  requests: AdminRequest[];
  targets: Target[];
  files: Map<string, string>;
}

export const ok = (result: unknown): AdminResponse => ({ ok: true, action: 'test', result });

export const refused = (code: string, message: string, issues?: unknown): AdminResponse => ({
  ok: false,
  error: { code, message, ...(issues === undefined ? {} : { issues }) },
});

/**
 * Runs the CLI with `argv` in-process: requests go to `answer`, files come from `files`, sleeps
 * return at once, and `interruptAfterPolls` presses Ctrl-C after that many sleeps.
 */
export const runWithFakeAdmin = async (
  argv: string[],
  answer: Answer = () => ok({}),
  options: { files?: Record<string, string>; env?: NodeJS.ProcessEnv; interruptAfterSleeps?: number } = {},
): Promise<CliRun> => {
  const run: CliRun = { code: -1, stdout: '', stderr: '', requests: [], targets: [], files: new Map() };
  const files = new Map(Object.entries(options.files ?? {}));
  let onInterrupt: (() => void) | undefined;
  let sleeps = 0;
  const io: CliIo = {
    stdout: (text) => void (run.stdout += text),
    stderr: (text) => void (run.stderr += text),
    env: options.env ?? {},
    interactive: false,
    readFile: (path) => {
      const text = files.get(path);
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    writeFile: (path, text) => void run.files.set(path, text),
    sleep: async () => {
      sleeps += 1;
      if (sleeps === options.interruptAfterSleeps) onInterrupt?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
    onInterrupt: (handler) => {
      onInterrupt = handler;
      return () => (onInterrupt = undefined);
    },
    invokerFor: (target) => {
      run.targets.push(target);
      return async (request) => {
        run.requests.push(request);
        return answer(request);
      };
    },
  };
  run.code = await runCli(argv, io);
  return run;
};
