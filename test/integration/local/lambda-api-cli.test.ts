import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaApiHarness } from './lambda-api-harness';

const AWS_CLI = '/usr/bin/aws';
const cliInstalled = existsSync(AWS_CLI);
if (!cliInstalled)
  console.warn(`Skipping the local Lambda API CLI tests: ${AWS_CLI} is not installed on this machine.`);

const run = promisify(execFile);
const outDir = mkdtempSync(join(tmpdir(), 'switchyard-lambda-cli-'));
let harness: Awaited<ReturnType<typeof startLambdaApiHarness>>;

beforeAll(async () => {
  if (cliInstalled) harness = await startLambdaApiHarness();
});

afterAll(async () => {
  await harness?.server.stop();
  rmSync(outDir, { recursive: true, force: true });
});

/** Runs the CLI against the local endpoint as `role-operator`; async, because the endpoint runs in this process. */
const aws = async (args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'role-operator',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_PAGER: '',
  };
  try {
    const { stdout, stderr } = await run(
      AWS_CLI,
      [...args, '--endpoint-url', harness.server.endpoint, '--region', 'eu-west-1', '--output', 'json'],
      { env },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', code: failed.code ?? -1 };
  }
};

const lambdaInvoke = (functionName: string, outFile: string, extra: string[] = []) =>
  aws([
    'lambda',
    'invoke',
    '--function-name',
    functionName,
    '--payload',
    JSON.stringify({ orderId: 'o-7' }),
    '--cli-binary-format',
    'raw-in-base64-out',
    ...extra,
    join(outDir, outFile),
  ]);

describe.skipIf(!cliInstalled)('local Lambda API through the aws CLI', () => {
  it('writes the result of `aws lambda invoke` to the outfile and prints StatusCode 200', async () => {
    // CLI processes take seconds to start on a busy machine, so the cases run side by side.
    const [ok, failed, tailed] = await Promise.all([
      lambdaInvoke('echo', 'ok.json'),
      lambdaInvoke('fails', 'failed.json'),
      lambdaInvoke('arn:aws:lambda:eu-west-1:000000000000:function:chatty', 'tailed.json', ['--log-type', 'Tail']),
    ]);

    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(readFileSync(join(outDir, 'ok.json'), 'utf8'))).toEqual({
      region: 'eu-west-1',
      event: { orderId: 'o-7' },
    });
    expect(JSON.parse(failed.stdout)).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
    expect(JSON.parse(readFileSync(join(outDir, 'failed.json'), 'utf8'))).toMatchObject({
      errorType: 'PaymentDeclinedError',
    });
    const logResult = (JSON.parse(tailed.stdout) as { LogResult: string }).LogResult;
    expect(Buffer.from(logResult, 'base64').toString('utf8')).toContain('"message":"done"');
  });

  it('fails `aws lambda invoke` of an unknown function with ResourceNotFoundException', async () => {
    const result = await lambdaInvoke('missing', 'missing.json');

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('ResourceNotFoundException');
    expect(result.stderr).toContain('Function not found: arn:aws:lambda:eu-west-1:000000000000:function:missing');
  });

  it('answers `aws sts get-caller-identity` with the principal of the access key id', async () => {
    const result = await aws(['sts', 'get-caller-identity']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      UserId: expect.stringMatching(/^AROA/),
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:role/operator',
    });
  });
});
