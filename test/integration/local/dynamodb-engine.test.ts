import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { localCredentials } from '../../../local/aws/credentials';
import { startDynamoEngine } from '../../../local/dynamodb/engine';
import { JavaMissingError, parseJavaMajor, assertJavaAvailable } from '../../../local/dynamodb/java';

const jvmListening = (port: string): boolean =>
  spawnSync('sh', ['-c', `ps -eo args | grep DynamoDBLocal.jar | grep -- "-port ${port}" | grep -v grep`]).status === 0;

const waitUntil = async (check: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
};

describe('DynamoDB Local engine', () => {
  it('starts in memory, answers the SDK, and leaves no JVM behind after stop()', async () => {
    const engine = await startDynamoEngine();
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: engine.endpoint,
      credentials: localCredentials,
    });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    client.destroy();
    await engine.stop();
    expect(await waitUntil(() => !jvmListening(String(engine.port)), 5_000)).toBe(true);
  });

  it('takes its JVM down when the process that started it is killed with SIGKILL', async () => {
    // Prepare: a separate Node process owns an engine.
    const owner = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '../../fixtures/engine/hold-engine.ts')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const port = await new Promise<string>((resolve, reject) => {
      owner.stdout.on('data', (chunk: Buffer) => {
        const match = /engine http:\/\/127\.0\.0\.1:(\d+)/.exec(chunk.toString());
        if (match?.[1]) resolve(match[1]);
      });
      owner.once('exit', (code) => reject(new Error(`owner exited early with ${code}`)));
    });
    expect(jvmListening(port)).toBe(true);
    // Act: no exit handlers can run on SIGKILL.
    owner.kill('SIGKILL');
    // Assess
    expect(await waitUntil(() => !jvmListening(port), 10_000)).toBe(true);
  }, 60_000);

  it('reads the Java major version from old and new version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
  });

  it('says what to install when Java is missing', () => {
    expect(() => assertJavaAvailable('/nonexistent/java')).toThrow(JavaMissingError);
    expect(() => assertJavaAvailable('/nonexistent/java')).toThrow(/Java 17 or newer.*Install a JRE/s);
  });
});
