import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/cli-errors';
import { SAMPLE_CATALOG_PATH } from '../../../local/cloud/deploy-router';
import { retryingWhileUnanswered } from '../../../local/cloud/unanswered-read';
import { startRouterCloud, type RouterCloud } from '../../../local/cloud/router-cloud';
import { REGIONS } from '../../../local/harness/router-harness';
import { UNANSWERED_READ } from '../../../shared/services/admin/actions/quorum-registers';

const AWS_CLI = '/usr/bin/aws';
const BIN = join(__dirname, '..', '..', '..', 'bin', 'switchyard.cjs');
const OPERATOR = 'arn:aws:iam::000000000000:role/operator';
const LOCAL_USER = 'arn:aws:iam::000000000000:user/local';

const run = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
let rc: RouterCloud;

beforeAll(async () => {
  // RouterHarness.start() leaves the Lambda API on its default port 4020; every port is ephemeral here.
  rc = await startRouterCloud({
    regions: REGIONS,
    ports: { dynamodb: 0, eventBridge: 0, control: 0, lambda: 0, sqs: 0 },
    router: { logLevel: 'WARN' },
  });
}, 180_000);

afterAll(async () => {
  await rc?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of an operator shell: only the given credentials, no AWS config files. */
const shellEnv = (accessKeyId: string | null): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_PAGER: '',
  ...(accessKeyId ? { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: 'not-checked' } : {}),
});

/**
 * Runs `node bin/switchyard.cjs` as a child process (async, because the local cloud runs in this
 * process), signed with `accessKeyId`, or with no credentials configured when it is null. A command
 * refused by a quorum read no majority answered in time (a starved machine's late answer) is run
 * again, as its message tells an operator to: nothing was written.
 */
const switchyard = (args: string[], accessKeyId: string | null = 'role-operator'): Promise<Outcome> =>
  retryingWhileUnanswered(
    () => runOnce(args, accessKeyId),
    (outcome) => outcome.code !== 0 && outcome.stderr.includes(UNANSWERED_READ),
    2,
  );

const runOnce = async (args: string[], accessKeyId: string | null): Promise<Outcome> => {
  try {
    const endpoint = args.includes('--endpoint') ? [] : ['--endpoint', rc.cloud.endpoints.lambda];
    const { stdout, stderr } = await run(process.execPath, [BIN, ...endpoint, ...args], { env: shellEnv(accessKeyId) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', code: failed.code ?? -1 };
  }
};

const json = <T>(outcome: Outcome): T => JSON.parse(outcome.stdout) as T;

describe('the operator CLI against the local cloud', () => {
  it('shows the active routes catalog', async () => {
    const shown = await switchyard(['routes', 'show']);

    expect(shown.code).toBe(EXIT.ok);
    expect(shown.stdout).toContain(`# routes catalog version ${rc.router.catalogVersion} (active)`);
    expect(shown.stdout).toContain('source: com.switchyard.orders');
  });

  it("prints every region's state and the owner and epoch of each (zone, home)", async () => {
    const status = await switchyard(['region', 'status']);
    const asJson = json<{ regions: Array<{ region: string }>; leases: Array<{ zone: string; home: string }> }>(
      await switchyard(['region', 'status', '--json']),
    );

    expect(status.code).toBe(EXIT.ok);
    expect(status.stdout).toMatch(/^REGION\s+STATE\s+FENCE\s+HEARTBEAT\n/);
    expect(status.stdout).toMatch(/\nZONE\s+HOME\s+OWNER\s+EPOCH\s+LEASE UNTIL\n/);
    expect(asJson.regions.map((r) => r.region)).toEqual([...REGIONS]);
    expect(asJson.leases).toContainEqual(expect.objectContaining({ zone: 'eu', home: 'eu-west-1' }));
  });

  it('fences a region and unfences it, each change attributed to the verified caller', async () => {
    const fenced = await switchyard(['region', 'fence', 'eu-west-1']);
    const whileFenced = json<{ regions: Array<{ region: string; state: string; fence: { by: string } | null }> }>(
      await switchyard(['region', 'status', '--json']),
    );
    const unfenced = await switchyard(['region', 'unfence', 'eu-west-1']);
    const after = json<{ regions: Array<{ region: string; fence: unknown }> }>(
      await switchyard(['region', 'status', '--json']),
    );

    expect(fenced.stdout).toContain('Fenced eu-west-1 (was not fenced).');
    expect(whileFenced.regions.find((r) => r.region === 'eu-west-1')).toMatchObject({
      state: 'fenced',
      fence: { mode: 'fence', by: OPERATOR },
    });
    expect(unfenced.stdout).toContain('Unfenced eu-west-1 (was fence since');
    expect(after.regions.find((r) => r.region === 'eu-west-1')?.fence).toBeNull();
  });

  it('audits each call with the caller STS verified from the access key, or user/local without one', async () => {
    await switchyard(['region', 'status'], 'role-operator');
    await switchyard(['routes', 'show'], null);

    const audit = await switchyard(['audit']);
    const entries = json<{ entries: Array<{ action: string; caller: { principal: string; verified: boolean } }> }>(
      await switchyard(['audit', '--json']),
    ).entries;

    expect(audit.code).toBe(EXIT.ok);
    expect(audit.stdout).toMatch(new RegExp(`region\\.status\\s+ok\\s+${OPERATOR}`));
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'routes.show',
        outcome: 'ok',
        caller: expect.objectContaining({ principal: LOCAL_USER, verified: true }),
      }),
    );
  });

  it('refuses an unknown region with the admin error and exit code 1', async () => {
    const refused = await switchyard(['region', 'fence', 'xx-west-1']);

    expect(refused.code).toBe(EXIT.refused);
    expect(refused.stderr).toContain(
      'error: region.fence refused (UnknownRegion): xx-west-1 is not a region of stage local',
    );
  });

  it('publishes and activates a new catalog version from a YAML file', async () => {
    const next = rc.router.catalogVersion + 1;
    const file = join(workDir, 'catalog.yaml');
    writeFileSync(file, readFileSync(SAMPLE_CATALOG_PATH, 'utf8').replace(/^version: \d+$/m, `version: ${next}`));

    const published = await switchyard(['routes', 'publish', file, '--activate']);
    const shown = json<{ version: number }>(await switchyard(['routes', 'show', '--json']));

    expect(published.stdout).toBe(
      `Published routes catalog version ${next}.\nActivated version ${next} (was ${rc.router.catalogVersion}).\n`,
    );
    expect(shown.version).toBe(next);
  });

  it('says to start the local cloud when nothing listens at the endpoint, and exits 3', async () => {
    const port = await closedPort();

    const outcome = await switchyard(['--endpoint', `http://127.0.0.1:${port}`, 'region', 'status']);

    expect(outcome.code).toBe(EXIT.unreachable);
    expect(outcome.stderr).toContain('is `npm start` running?');
  });

  it('says which function is missing when the stage is not deployed there, and exits 3', async () => {
    const outcome = await switchyard(['--stage', 'nope', '--endpoint', rc.cloud.endpoints.lambda, 'routes', 'show']);

    expect(outcome.code).toBe(EXIT.unreachable);
    expect(outcome.stderr).toContain('has no function switchyard-nope-admin');
  });
});

describe.skipIf(!existsSync(AWS_CLI))('aws lambda invoke reaches the same admin function', () => {
  it('answers routes.show as the CLI shows it', async () => {
    const outFile = join(workDir, 'routes-show.json');
    const viaCli = json<unknown>(await switchyard(['routes', 'show', '--json']));

    await run(
      AWS_CLI,
      [
        'lambda',
        'invoke',
        '--function-name',
        'switchyard-local-admin',
        '--payload',
        '{"action":"routes.show"}',
        '--cli-binary-format',
        'raw-in-base64-out',
        '--endpoint-url',
        rc.cloud.endpoints.lambda,
        '--region',
        'us-east-1',
        outFile,
      ],
      { env: shellEnv('role-operator') },
    );

    expect(JSON.parse(readFileSync(outFile, 'utf8'))).toEqual({ ok: true, action: 'routes.show', result: viaCli });
  });
});
if (!existsSync(AWS_CLI)) console.warn(`Skipping the aws lambda invoke comparison: ${AWS_CLI} is not installed.`);

/** A loopback port nothing listens on: bound, then released. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
};
