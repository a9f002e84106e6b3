import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials } from '../../local/aws/credentials';
import { retryingWhileUnanswered } from '../../local/cloud/unanswered-read';
import { startRouterCloud, type RouterCloud } from '../../local/cloud/router-cloud';
import { withPackageLock } from '../../scripts/lib/package-inputs';
import { isUnansweredRead } from '../../shared/services/admin/actions/quorum-registers';

/**
 * Every sample in events/ runs with `serverless invoke local` (the real CLI, which bundles with
 * esbuild as `serverless package` does) against the local cloud, so the README's quick-start line
 * and the samples stay true. A sample without a case here fails the suite.
 */
const ROOT = path.resolve(__dirname, '../..');
const EVENTS = path.join(ROOT, 'events');
const STAGE = 'local';
const SERVERLESS = path.join(ROOT, 'node_modules/osls/bin/serverless.js');
const INVOKE_TIMEOUT_MS = 180_000;

type Result = Record<string, unknown> | undefined;

interface SampleCase {
  fn: 'ingest' | 'route' | 'health' | 'sweeper' | 'admin';
  region: string;
  check: (result: Result) => void;
}

const adminOk = (result: Result): void => {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
};
const ingested = (result: Result): void => {
  expect(result, JSON.stringify(result)).toMatchObject({ outcome: 'stored' });
};

/** In the order they run: publish before activate, ingest before erase, fence before unfence. */
const CASES: Record<string, SampleCase> = {
  'ingest.orders.json': { fn: 'ingest', region: 'us-east-1', check: ingested },
  'ingest.payments.json': { fn: 'ingest', region: 'us-east-1', check: ingested },
  'ingest.eu-customers.json': { fn: 'ingest', region: 'eu-west-1', check: ingested },
  'route.inbox-batch.json': {
    fn: 'route',
    region: 'us-east-1',
    check: (result) => expect(result).toEqual({ batchItemFailures: [] }),
  },
  'health.schedule.json': {
    fn: 'health',
    region: 'us-east-1',
    // One tick ran and judged every region; whether its probes passed depends on how loaded the machine is.
    check: (result) =>
      expect(result, JSON.stringify(result)).toMatchObject({
        region: 'us-east-1',
        ok: expect.any(Boolean),
        verdicts: { 'us-east-1': expect.any(String), 'eu-west-1': expect.any(String) },
      }),
  },
  'sweeper.schedule.json': {
    fn: 'sweeper',
    region: 'us-east-1',
    check: (result) => expect(result).toMatchObject({ passes: 1 }),
  },
  'admin.region-status.json': { fn: 'admin', region: 'us-east-1', check: adminOk },
  'admin.routes-publish.json': { fn: 'admin', region: 'us-east-1', check: adminOk },
  'admin.routes-activate.json': { fn: 'admin', region: 'us-east-1', check: adminOk },
  'admin.routes-show.json': { fn: 'admin', region: 'us-east-1', check: adminOk },
  'admin.region-fence.json': { fn: 'admin', region: 'us-east-1', check: adminOk },
  'admin.region-drain.json': { fn: 'admin', region: 'us-east-1', check: adminOk },
  'admin.region-unfence.json': { fn: 'admin', region: 'us-east-1', check: adminOk },
  'admin.audit-list.json': { fn: 'admin', region: 'us-east-1', check: adminOk },
  'admin.erase.json': {
    fn: 'admin',
    region: 'us-east-1',
    // The orders sample's event, stored by the first case, is gone from the inbox.
    check: (result) => expect(result).toMatchObject({ ok: true, result: { keys: 1, removed: { inbox: 1 } } }),
  },
};

let rc: RouterCloud;

beforeAll(async () => {
  rc = await startRouterCloud({
    ports: { dynamodb: 0, eventBridge: 0, control: 0, lambda: 0, sqs: 0 },
    router: { stage: STAGE, logLevel: 'WARN' },
  });
}, INVOKE_TIMEOUT_MS);

afterAll(async () => {
  await rc?.stop();
});

/** `serverless invoke local` prints the handler's result last, as indented JSON after the log lines. */
const lastJson = (stdout: string): Result => {
  const start = stdout.lastIndexOf('\n{\n');
  const text = start >= 0 ? stdout.slice(start + 1) : stdout.trimStart().startsWith('{') ? stdout : '';
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
};

const invokeLocal = async (file: string, sample: SampleCase): Promise<Result> => {
  const { endpoints } = rc.cloud;
  const args = [
    SERVERLESS,
    'invoke',
    'local',
    '--stage',
    STAGE,
    '--region',
    sample.region,
    '-f',
    sample.fn,
    '--path',
    path.join('events', file),
    ...['DYNAMODB_ENDPOINT', endpoints.dynamodb, 'EVENTBRIDGE_ENDPOINT', endpoints.eventBridge]
      .concat(['STS_ENDPOINT', endpoints.lambda, 'HEALTH_RUN_MS', '0', 'SWEEP_RUN_MS', '0'])
      .flatMap((value, i, all) => (i % 2 === 0 ? ['-e', `${value}=${all[i + 1]}`] : [])),
  ];
  // serverless-esbuild bundles into .esbuild/ of the service directory, which packaging shares.
  const { stdout } = await withPackageLock(ROOT, () =>
    run(process.execPath, args, {
      cwd: ROOT,
      timeout: INVOKE_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        SLS_TELEMETRY_DISABLED: '1',
      },
    }),
  );
  return lastJson(stdout);
};

/**
 * An admin sample refused by a quorum read no majority answered in time (this suite runs beside the
 * target-outage drill, and one starved JVM serves every region) is run again, as the refusal tells
 * an operator to: nothing was written.
 */
const invokeLocalAnswered = (file: string, sample: SampleCase): Promise<Result> =>
  retryingWhileUnanswered(
    () => invokeLocal(file, sample),
    (result) => isUnansweredRead(result?.error as { code?: string; message?: string } | undefined),
    2,
  );

/** execFile, with the command's own output in the error: serverless prints its reason on stdout or stderr. */
const run = async (
  command: string,
  args: string[],
  options: Parameters<typeof execFile>[2],
): Promise<{ stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { ...options, encoding: 'utf8' });
    return { stdout, stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${(error as Error).message}\n${stderr.slice(-4000)}\n${stdout.slice(-4000)}`, { cause: error });
  }
};

describe('events/: the sample inputs', () => {
  it('has a case here for every sample file, and a file for every case', () => {
    const files = readdirSync(EVENTS).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(CASES).sort());
  });

  it('runs every sample with `serverless invoke local`, in order, each with the result it documents', async () => {
    for (const [file, sample] of Object.entries(CASES)) sample.check(await invokeLocalAnswered(file, sample));
  }, 900_000);
});
