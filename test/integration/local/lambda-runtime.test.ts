import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctions } from '../../../local/lambda/bundle-functions';
import { FunctionInvocationError, FunctionNotFoundError } from '../../../local/lambda/function-invoker';
import { LambdaRuntime, type FunctionLogLine } from '../../../local/lambda/lambda-runtime';

const fixture = (name: string): string => join(__dirname, '../../fixtures/functions', name, 'handler.ts');

describe('local Lambda runtime', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'switchyard-lambda-'));
  const sink: FunctionLogLine[] = [];
  const runtime = new LambdaRuntime({ onLog: (line) => sink.push(line) });
  let bundles: Record<string, string> = {};

  beforeAll(async () => {
    bundles = await bundleFunctions({ 'region-echo': fixture('region-echo'), failing: fixture('failing') }, outDir);
    for (const region of ['us-east-1', 'eu-west-1']) {
      await runtime.deploy({
        region,
        functionName: 'region-echo',
        bundlePath: bundles['region-echo'] ?? '',
        environment: { HOME_REGION: `home-${region}` },
      });
    }
    await runtime.deploy({
      region: 'us-east-1',
      functionName: 'failing',
      bundlePath: bundles.failing ?? '',
      environment: {},
      timeoutMs: 1_000,
    });
  });

  afterAll(async () => {
    await runtime.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('bundles each handler into a CommonJS file with a source map', () => {
    const bundle = bundles['region-echo'] ?? '';
    expect(bundle).toBe(join(outDir, 'region-echo', 'handler.js'));
    expect(readFileSync(bundle, 'utf8')).toContain('module.exports');
    expect(existsSync(`${bundle}.map`)).toBe(true);
  });

  it("runs each region's copy with that region's environment and no variables from the host", async () => {
    process.env.SWITCHYARD_PARENT_ONLY = 'must-not-leak';
    const [east, west] = await Promise.all([
      runtime.invoke('us-east-1', 'region-echo', { note: 'a' }),
      runtime.invoke('eu-west-1', 'region-echo', { note: 'b' }),
    ]);
    expect(east).toMatchObject({
      homeRegion: 'home-us-east-1',
      awsRegion: 'us-east-1',
      accessKeyId: 'fn-us-east-1',
      leakedParentVariable: null,
      note: 'a',
    });
    expect(west).toMatchObject({ homeRegion: 'home-eu-west-1', awsRegion: 'eu-west-1', note: 'b' });
    expect(west).toMatchObject({
      functionName: 'region-echo',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:region-echo',
    });
    const remainingMs = (west as { remainingMs: number }).remainingMs;
    expect(remainingMs).toBeGreaterThan(0);
    expect(remainingMs).toBeLessThanOrEqual(6_000);
  });

  it("captures the function's Powertools JSON log lines in its own buffer and the sink", async () => {
    await runtime.invoke('eu-west-1', 'region-echo', { note: 'logged' });
    await expect
      .poll(
        () =>
          runtime
            .logs('eu-west-1', 'region-echo')
            .map((l) => l.line)
            .join('\n'),
        { timeout: 10_000 },
      )
      .toContain('logged');
    const line = runtime.logs('eu-west-1', 'region-echo').find((l) => l.line.includes('logged'));
    expect(JSON.parse(line?.line ?? '{}')).toMatchObject({
      message: 'echo',
      note: 'logged',
      homeRegion: 'home-eu-west-1',
    });
    expect(runtime.logs('us-east-1', 'region-echo').some((l) => l.line.includes('logged'))).toBe(false);
    expect(sink.some((l) => l.region === 'eu-west-1' && l.line.includes('logged'))).toBe(true);
  });

  it("sets _X_AMZN_TRACE_ID per invocation: the caller's header, else a new Lambda-shaped one, never another invocation's", async () => {
    // Prepare: the slow invocation reads its header after the fast ones have started and finished.
    const passed = 'Root=1-67891234-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=1';
    // Act
    const [slow, ...fast] = await Promise.all([
      runtime.invoke('us-east-1', 'region-echo', { delayMs: 200 }, { traceHeader: passed }),
      ...Array.from({ length: 3 }, () => runtime.invoke('us-east-1', 'region-echo', { delayMs: 10 })),
    ]);
    // Assess
    expect(slow).toMatchObject({ traceId: passed, traceIdAtColdStart: null });
    const generated = fast.map((r) => String((r as { traceId: unknown }).traceId));
    for (const header of generated)
      expect(header).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(new Set(generated).size).toBe(3);
  });

  it('surfaces a thrown error as FunctionInvocationError carrying the error type and message, and logs it as Lambda does', async () => {
    const error = await runtime.invoke('us-east-1', 'failing', { mode: 'throw' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvocationError);
    expect(error).toMatchObject({ errorType: 'PaymentDeclinedError', errorMessage: 'card 4242 declined' });
    expect(runtime.logs('us-east-1', 'failing').map((l) => l.line)).toContain(
      JSON.stringify({ errorType: 'PaymentDeclinedError', errorMessage: 'card 4242 declined' }),
    );
  });

  it('bundles into place without leaving temporary files when two runs share the directory at once', async () => {
    const both = await Promise.all([1, 2].map(() => bundleFunctions({ failing: fixture('failing') }, outDir)));
    expect(both[0]).toEqual(both[1]);
    expect(readdirSync(join(outDir, 'failing')).sort()).toEqual([
      'handler.js',
      'handler.js.manifest.json',
      'handler.js.map',
    ]);
  });

  it('times out a hanging handler and cold-starts a fresh environment afterwards', async () => {
    const before = runtime.stats('us-east-1', 'failing');
    const error = await runtime.invoke('us-east-1', 'failing', { mode: 'hang' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
    // Counted as an error and a timeout, and by its type (as a drill reads abandoned invocations).
    const after = runtime.stats('us-east-1', 'failing');
    expect({
      errors: (after?.errors ?? 0) - (before?.errors ?? 0),
      timeouts: (after?.timeouts ?? 0) - (before?.timeouts ?? 0),
      timedOut: (after?.errorTypes['Sandbox.Timedout'] ?? 0) - (before?.errorTypes['Sandbox.Timedout'] ?? 0),
    }).toEqual({ errors: 1, timeouts: 1, timedOut: 1 });
    await expect(runtime.invoke('us-east-1', 'failing', { mode: 'ok' })).resolves.toEqual({
      invocationsSinceColdStart: 1,
    });
  });

  it('reports a crashed worker as Runtime.ExitError and restarts it once for the invocations that follow', async () => {
    await runtime.invoke('us-east-1', 'failing', { mode: 'ok' });
    const error = await runtime.invoke('us-east-1', 'failing', { mode: 'crash' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorType: 'Runtime.ExitError' });
    const coldStarts = runtime.stats('us-east-1', 'failing')?.coldStarts ?? 0;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runtime.invoke('us-east-1', 'failing', { mode: 'ok' })),
    );
    expect(results.map((r) => (r as { invocationsSinceColdStart: number }).invocationsSinceColdStart).sort()).toEqual([
      1, 2, 3, 4,
    ]);
    expect(runtime.stats('us-east-1', 'failing')?.coldStarts).toBe(coldStarts + 1);
  });

  it('rejects an invocation of a function not deployed in that region', async () => {
    await expect(runtime.invoke('ap-southeast-2', 'region-echo', {})).rejects.toBeInstanceOf(FunctionNotFoundError);
  });

  it('runs concurrent invocations and counts invocations, errors and durations per function', async () => {
    const before = runtime.stats('us-east-1', 'region-echo')?.invocations ?? 0;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => runtime.invoke('us-east-1', 'region-echo', { note: `n${i}` })),
    );
    expect(results.map((r) => (r as { note: string }).note)).toEqual(Array.from({ length: 8 }, (_, i) => `n${i}`));
    const stats = runtime.stats('us-east-1', 'region-echo');
    expect(stats?.invocations).toBe(before + 8);
    expect(stats?.recentDurationsMs).toHaveLength(before + 8);
    expect(runtime.stats('us-east-1', 'failing')).toMatchObject({ errors: 3, timeouts: 1 });
  });

  it('drops what a timed-out invocation writes after its deadline, as a frozen environment writes nothing', async () => {
    // Prepare: two overlapping invocations, so the worker outlives the first one's timeout (last here: it adds two timeouts to the counters).
    const first = runtime.invoke('us-east-1', 'failing', { mode: 'late', note: 'first' }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = runtime.invoke('us-east-1', 'failing', { mode: 'late', note: 'second' }).catch((e: unknown) => e);
    // Act
    const outcomes = await Promise.all([first, second]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Assess: each wrote before its deadline; the first's line after it (written while the second ran) is gone.
    const lines = runtime.logs('us-east-1', 'failing').map((l) => l.line);
    expect(outcomes).toMatchObject([{ errorType: 'Sandbox.Timedout' }, { errorType: 'Sandbox.Timedout' }]);
    expect(lines).toContain('before the deadline first');
    expect(lines).toContain('before the deadline second');
    expect(lines.filter((l) => l.startsWith('after the deadline'))).toEqual([]);
  });
});
