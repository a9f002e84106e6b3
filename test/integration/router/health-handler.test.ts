import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/health/handler';
import { startRouterHarness, type RouterHarness } from './router-harness';

const REGION = 'us-east-1';
const OTHER = 'eu-west-1';

let harness: RouterHarness;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'ithealth', regions: [REGION, OTHER] });
});

afterAll(async () => {
  await harness?.stop();
});

afterEach(() => {
  harness.cloud.faults.clear();
});

/** The health function of a region; one SDK attempt so an injected fault is seen at once. */
const probe = (region: string) => createHandler(harness.probeDeps(region, { maxAttempts: 1 }))();

const heartbeatOf = (region: string) => harness.getItem(region, 'control', { pk: 'HEARTBEAT', sk: region });

describe('health handler', () => {
  it('reports a healthy region and records the heartbeat in its control table', async () => {
    // Act
    const heartbeat = await probe(REGION);

    // Assess
    expect(heartbeat).toMatchObject({ region: REGION, ok: true, problems: [] });
    expect(heartbeat.dynamodbMs).toBeGreaterThanOrEqual(0);
    expect(heartbeat.eventBridgeMs).toBeGreaterThanOrEqual(0);
    expect(await heartbeatOf(REGION)).toEqual({ pk: 'HEARTBEAT', sk: REGION, ...heartbeat });
  });

  it('reports a region whose EventBridge is down as not ok, naming the problem, and still records the heartbeat', async () => {
    // Prepare
    harness.cloud.faults.set('events', OTHER, { down: '503' });

    // Act
    const heartbeat = await probe(OTHER);

    // Assess
    expect(heartbeat.ok).toBe(false);
    expect(heartbeat.problems).toHaveLength(1);
    expect(heartbeat.problems[0]).toMatch(/^eventbridge: ServiceUnavailable/);
    expect(await heartbeatOf(OTHER)).toMatchObject({ ok: false, problems: heartbeat.problems, at: heartbeat.at });
  });

  it('names a missing ingress bus as an EventBridge problem', async () => {
    // Prepare: the stage's buses are wired in us-east-1 and eu-west-1 only, so ap-southeast-2 has no ingress bus
    const deps = {
      ...harness.probeDeps(REGION),
      probeEventBridge: harness.probeDeps('ap-southeast-2').probeEventBridge,
    };

    // Act
    const heartbeat = await createHandler(deps)();

    // Assess
    expect(heartbeat.ok).toBe(false);
    expect(heartbeat.problems).toEqual([expect.stringMatching(/^eventbridge: ResourceNotFoundException/)]);
  });

  it('reports a region whose DynamoDB is down as not ok and leaves its last heartbeat untouched', async () => {
    // Prepare
    const healthy = await probe(REGION);
    harness.cloud.faults.set('dynamodb', REGION, { down: '503' });

    // Act
    const heartbeat = await probe(REGION);

    // Assess
    expect(heartbeat.ok).toBe(false);
    expect(heartbeat.problems).toEqual([expect.stringMatching(/^dynamodb: StoreUnavailableError/)]);
    harness.cloud.faults.clear('dynamodb', REGION);
    expect(await heartbeatOf(REGION)).toMatchObject({ ok: true, at: healthy.at });
  });
});
