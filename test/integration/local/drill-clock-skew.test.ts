import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../../local/control/control-server';
import { drillControlRoutes } from '../../../local/faults/drill-control-routes';
import { Partitions } from '../../../local/faults/partitions';
import { bundleFunctions } from '../../../local/lambda/bundle-functions';
import { LambdaRuntime } from '../../../local/lambda/lambda-runtime';

const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const [EAST, WEST] = REGIONS;

interface ClockProbe {
  dateNow: number;
  isoNow: string;
  capturedNow: number;
  dateString: string;
  timerElapsedMs: number;
  utc: number;
  parsed: number;
  fromArgument: string;
  fromParts: number;
  isDate: boolean;
  constructorIsDate: boolean;
  remainingMs: number;
}

describe("a region's function clock skewed by a drill", () => {
  const outDir = mkdtempSync(join(tmpdir(), 'switchyard-clock-'));
  const runtime = new LambdaRuntime();
  let control: ControlServer;

  beforeAll(async () => {
    const entry = join(__dirname, '../../fixtures/functions/clock-probe/handler.ts');
    const bundles = await bundleFunctions({ 'clock-probe': entry }, outDir);
    for (const region of REGIONS)
      await runtime.deploy({
        region,
        functionName: 'clock-probe',
        bundlePath: bundles['clock-probe'] ?? '',
        environment: {},
      });
    const partitions = new Partitions(REGIONS);
    control = await startControlServer(
      drillControlRoutes({ regions: REGIONS, partitions, regionStates: runtime.regionStates }),
    );
  });

  afterEach(() => REGIONS.forEach((region) => runtime.regionStates.setClockSkew(region, 0)));

  afterAll(async () => {
    await control.stop();
    await runtime.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${control.endpoint}${path}`, { method, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** Invokes the probe and returns what it saw with the real time just before and after. */
  const probe = async (region: string, timerMs = 0) => {
    const before = Date.now();
    const seen = (await runtime.invoke(region, 'clock-probe', { timerMs })) as ClockProbe;
    return { seen, before, after: Date.now() };
  };

  it('shows an already-running worker the skew in Date.now() and new Date() at once, while its timers keep real time', async () => {
    await probe(EAST);
    const coldStarts = runtime.stats(EAST, 'clock-probe')?.coldStarts;

    await call('PUT', `/regions/${EAST}/clock`, { skewMs: 45_000 });
    const { seen, before, after } = await probe(EAST, 300);

    expect(runtime.stats(EAST, 'clock-probe')?.coldStarts).toBe(coldStarts);
    for (const shown of [seen.dateNow, Date.parse(seen.isoNow), seen.capturedNow]) {
      expect(shown).toBeGreaterThanOrEqual(before + 45_000);
      expect(shown).toBeLessThanOrEqual(after + 45_000);
    }
    expect(seen.timerElapsedMs).toBeGreaterThanOrEqual(295);
    expect(seen.timerElapsedMs).toBeLessThan(10_000);
  });

  it('leaves the clock of other regions alone', async () => {
    await call('PUT', `/regions/${EAST}/clock`, { skewMs: -30_000 });

    const { seen, before, after } = await probe(WEST);

    expect(seen.dateNow).toBeGreaterThanOrEqual(before);
    expect(seen.dateNow).toBeLessThanOrEqual(after);
  });

  it('keeps Date.UTC, Date.parse, dates built from arguments, instanceof Date and the invocation deadline as they were', async () => {
    await call('PUT', `/regions/${EAST}/clock`, { skewMs: -60_000 });

    const { seen, before, after } = await probe(EAST);

    expect(seen).toMatchObject({
      utc: Date.UTC(2020, 0, 2, 3, 4, 5),
      parsed: Date.parse('2020-01-02T03:04:05.000Z'),
      fromArgument: '1970-01-02T00:00:00.000Z',
      fromParts: 2020,
      isDate: true,
      constructorIsDate: true,
    });
    // Date() has whole seconds.
    expect(Date.parse(seen.dateString)).toBeGreaterThanOrEqual(before - 60_000 - 1_000);
    expect(Date.parse(seen.dateString)).toBeLessThanOrEqual(after - 60_000);
    expect(seen.remainingMs).toBeGreaterThan(0);
    expect(seen.remainingMs).toBeLessThanOrEqual(6_000);
  });

  it('resets the skew with DELETE, shows it in GET /regions and refuses a skew beyond a minute', async () => {
    await call('PUT', `/regions/${EAST}/clock`, { skewMs: 5_000 });
    const shown = await call('GET', '/regions');
    const tooFar = await call('PUT', `/regions/${EAST}/clock`, { skewMs: 60_001 });
    const notANumber = await call('PUT', `/regions/${EAST}/clock`, { skewMs: '5s' });

    const reset = await call('DELETE', `/regions/${EAST}/clock`);
    const { seen, before, after } = await probe(EAST);

    expect(shown.body.states).toMatchObject({ [EAST]: { clockSkewMs: 5_000 }, [WEST]: { clockSkewMs: 0 } });
    expect(tooFar).toEqual({
      status: 400,
      body: { error: 'skewMs must be an integer from -60000 to 60000, got 60001' },
    });
    expect(notANumber.status).toBe(400);
    expect(reset.body).toEqual({ region: EAST, functions: 'running', clockSkewMs: 0 });
    expect(seen.dateNow).toBeGreaterThanOrEqual(before);
    expect(seen.dateNow).toBeLessThanOrEqual(after);
  });
});
