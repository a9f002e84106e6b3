import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctions } from '../../../local/lambda/bundle-functions';
import { LambdaRuntime } from '../../../local/lambda/lambda-runtime';
import { startLambdaApiServer, type LambdaApiServer } from '../../../local/lambda-api';

const outDir = mkdtempSync(join(tmpdir(), 'switchyard-lambda-api-'));
const runtime = new LambdaRuntime();
let server: LambdaApiServer;

beforeAll(async () => {
  const fixture = join(__dirname, '../../fixtures/functions/region-echo/handler.ts');
  const bundles = await bundleFunctions({ 'region-echo': fixture }, outDir);
  await runtime.deploy({
    region: 'us-east-1',
    functionName: 'region-echo',
    bundlePath: bundles['region-echo'] ?? '',
    environment: { HOME_REGION: 'home-us-east-1' },
  });
  server = await startLambdaApiServer({
    invoker: runtime,
    logs: (region, name) => runtime.logs(region, name),
    isDeployed: (region, name) => runtime.stats(region, name) !== undefined,
  });
});

afterAll(async () => {
  await server?.stop();
  await runtime.stop();
  rmSync(outDir, { recursive: true, force: true });
});

/** Any SigV4-looking Authorization header will do: the endpoint reads the scope and checks no signature. */
const invoke = (name: string, payload: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.endpoint}/2015-03-31/functions/${name}/invocations`, {
    method: 'POST',
    headers: {
      authorization: 'AWS4-HMAC-SHA256 Credential=role-operator/20260101/us-east-1/lambda/aws4_request, Signature=0',
      ...headers,
    },
    body: JSON.stringify(payload),
  });

describe('local Lambda Invoke endpoint over the Lambda runtime', () => {
  it('runs the deployed bundle and tails the log lines that invocation wrote', async () => {
    const response = await invoke('region-echo', { note: 'tail me' }, { 'x-amz-log-type': 'Tail' });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ homeRegion: 'home-us-east-1', note: 'tail me' });
    const log = Buffer.from(response.headers.get('x-amz-log-result') ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/"message":"echo".*"note":"tail me"/);
  });

  it('answers 404 to a DryRun of a function the runtime has not deployed', async () => {
    const deployed = await invoke('region-echo', {}, { 'x-amz-invocation-type': 'DryRun' });
    const missing = await invoke('not-deployed', {}, { 'x-amz-invocation-type': 'DryRun' });

    expect(deployed.status).toBe(204);
    expect(missing.status).toBe(404);
  });
});
