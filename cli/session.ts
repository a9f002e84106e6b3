import type { Command } from 'commander';
import type { AdminInvoker } from './admin-client';
import { AdminRefusedError, UsageError } from './cli-errors';
import { resolveTarget, type GlobalOptions, type Target } from './target';

/** Everything a run touches outside itself, so tests run the whole CLI in-process. */
export interface CliIo {
  /** Raw writes, like `process.stdout.write`. */
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal: the live progress bar draws only there. */
  interactive: boolean;
  /** Where the progress bar draws (process.stderr). */
  progressStream?: NodeJS.WritableStream;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  sleep(ms: number): Promise<void>;
  /** Runs `handler` on Ctrl-C until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  /** How requests reach the admin function of a target; the real one invokes Lambda. */
  invokerFor(target: Target): AdminInvoker;
}

/** One command's run: its target, the admin calls it makes, and its output in the chosen format. */
export class Session {
  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
    readonly target: Target,
    readonly commandPath: string,
    private readonly invoke: AdminInvoker,
  ) {}

  /** Calls one admin action; a refusal throws AdminRefusedError with a next step where the CLI knows one. */
  async call<T = unknown>(action: string, fields: Record<string, unknown> = {}): Promise<T> {
    const request = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    const response = await this.invoke({ action, ...request });
    if (!response.ok) {
      throw new AdminRefusedError(
        response.action ?? action,
        response.error,
        this.nextStep(action, response.error.code),
      );
    }
    return response.result as T;
  }

  /** Prints a result: as JSON with `--json`, otherwise as the command's human rendering. */
  print<T>(result: T, human: (result: T) => string): void {
    this.say(this.options.json ? JSON.stringify(result, null, 2) : human(result));
  }

  /** Reads a file the operator named; a missing one is a usage error. */
  readFile(path: string, next: string): string {
    try {
      return this.io.readFile(path);
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, next);
    }
  }

  say(text: string): void {
    this.io.stdout(`${text}\n`);
  }

  /** Progress and hints go to stderr, so stdout stays the result alone. */
  note(text: string): void {
    this.io.stderr(`${text}\n`);
  }

  /** The CLI as the operator typed it, for hints: `npx switchyard [--stage s --region r]`. */
  get invocation(): string {
    const t = this.target;
    const flags =
      t.mode === 'aws'
        ? ` --stage ${t.stage} --region ${t.region}`
        : `${this.options.endpoint ? ` --endpoint ${t.endpoint}` : ''}${this.options.region ? ` --region ${t.region}` : ''}`;
    return `npx switchyard${flags}`;
  }

  private nextStep(action: string, code: string): string | undefined {
    if (code === 'UnknownAction') {
      return this.target.mode === 'local'
        ? `this local cloud's admin function has no ${action} yet; restart npm start from a checkout that has it.`
        : `stage ${this.target.stage}'s admin function has no ${action} yet; deploy a newer build to it.`;
    }
    if (code === 'InvalidRequest') return `see ${this.invocation} ${this.commandPath} --help`;
    if (code === 'CatalogVersionConflict') return 'bump `version` in the catalog file and publish again.';
    return undefined;
  }
}

/** The words of a command path, e.g. `routes publish`. */
const pathOf = (command: Command): string => {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
};

/** Opens a session for the command commander is running, from the global options it was given. */
export const openSession = (io: CliIo, command: Command): Session => {
  const options = command.optsWithGlobals<GlobalOptions>();
  const target = resolveTarget(options, io.env);
  return new Session(io, options, target, pathOf(command), io.invokerFor(target));
};

type Handler = (session: Session, args: unknown[], options: Record<string, unknown>) => Promise<void>;

/** Adapts a handler to commander's `.action`: the session, the parsed arguments and the command's own options. */
export const act =
  (io: CliIo, handler: Handler) =>
  async (...params: unknown[]): Promise<void> => {
    const command = params.at(-1) as Command;
    await handler(openSession(io, command), command.processedArgs, command.opts());
  };
