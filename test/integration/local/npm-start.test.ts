import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { localCredentials } from '../../../local/aws/credentials';

const ROOT = join(__dirname, '..', '..', '..');

/** Pids of every process descending from `root` (other suites run their own engines, so only ours count). */
const descendants = (root: number): number[] => {
  const rows = spawnSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).stdout.trim().split('\n');
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows.map((r) => r.trim().split(/\s+/).map(Number))) {
    if (pid !== undefined && ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const walk = (pid: number): void => (children.get(pid) ?? []).forEach((c) => (found.push(c), walk(c)));
  walk(root);
  return found;
};

/** Running, not merely a zombie waiting for init to reap it. */
const alive = (pid: number): boolean => {
  const state = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return state !== '' && !state.startsWith('Z');
};

/** The status block: each region's state and counters, then who owns each home of each zone at which epoch. */
const OWNERSHIP_LINES = [
  /^us-east-1\s+(healthy|degraded)\s+ingested 0/m,
  /^ap-southeast-2\s+(healthy|degraded)\s+ingested 0/m,
  /^owners\s+global: us-east-1→us-east-1@\d+ {2}eu-west-1→eu-west-1@\d+ {2}ap-southeast-2→ap-southeast-2@\d+$/m,
  /^\s+transatlantic: us-east-1→us-east-1@\d+ {2}eu-west-1→eu-west-1@\d+$/m,
  /^\s+eu: eu-west-1→eu-west-1@\d+$/m,
];

describe('npm start', () => {
  it('starts the router on the local cloud, prints its endpoints, a publish command and the live status with who owns which home, and stops cleanly on Ctrl-C', async () => {
    // Prepare: not --quiet, so the live status block is printed (plainly, since stdout is a pipe).
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'local/cli/start.ts'),
        '--dynamodb-port',
        '0',
        '--eventbridge-port',
        '0',
        '--control-port',
        '0',
        '--lambda-port',
        '0',
        '--sqs-port',
        '0',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    // Act
    const deadline = Date.now() + 90_000;
    const statusShown = (): boolean => OWNERSHIP_LINES.every((line) => line.test(output));
    while (!statusShown() && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    const dynamodb = /DynamoDB\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    const tables = dynamodb
      ? (
          await new DynamoDBClient({ region: 'eu-west-1', endpoint: dynamodb, credentials: localCredentials }).send(
            new ListTablesCommand({}),
          )
        ).TableNames
      : undefined;
    const family = descendants(child.pid ?? -1);
    child.kill('SIGINT');
    const code = await exited;
    await new Promise((r) => setTimeout(r, 500));

    // Assess
    expect(output).toContain('Switchyard local cloud is up');
    expect(output).toMatch(/\/usr\/bin\/aws events put-events/);
    expect(output).toMatch(/Control API\s+http:\/\/127\.0\.0\.1:\d+/);
    // eu-west-1 holds the stage-wide control table, its own quarantine and coord, and the tables of its zones.
    expect(tables).toEqual([
      'switchyard-local-control',
      'switchyard-local-coord',
      'switchyard-local-eu-inbox',
      'switchyard-local-eu-ledger',
      'switchyard-local-global-inbox',
      'switchyard-local-global-ledger',
      'switchyard-local-quarantine',
      'switchyard-local-transatlantic-inbox',
      'switchyard-local-transatlantic-ledger',
    ]);
    for (const line of OWNERSHIP_LINES) expect(output).toMatch(line);
    expect(output).toContain('SIGINT: stopping the local cloud');
    expect(code).toBe(0);
    expect(family.length).toBeGreaterThan(0);
    expect(
      family
        .filter(alive)
        .map((pid) => spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim()),
    ).toEqual([]);
  }, 120_000);

  it('refuses an unknown flag with a message that points to --help', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'local/cli/start.ts'), '--regoins', 'us-east-1'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unknown option --regoins; see --help');
  });
});
