import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud/local-cloud';

const REGIONS = ['us-east-1', 'eu-west-1'] as const;

describe('the drill routes on the local cloud', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({
      regions: REGIONS,
      ports: { dynamodb: 0, eventBridge: 0, control: 0, lambda: 0, sqs: 0 },
    });
  });

  afterAll(async () => {
    await cloud.stop();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cloud.endpoints.control}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };

  it('acts on the partitions and the runtime the engines share, and lists regions with their state', async () => {
    await call('PUT', '/partitions/eu-west-1/us-east-1');
    await call('PUT', '/regions/eu-west-1/functions', { state: 'stopped' });
    await call('PUT', '/regions/us-east-1/clock', { skewMs: -1_500 });

    const regions = await call('GET', '/regions');

    expect(cloud.partitions.isPartitioned('us-east-1', 'eu-west-1')).toBe(true);
    expect(cloud.runtime.regionStates.isStopped('eu-west-1')).toBe(true);
    expect(regions).toEqual({
      regions: [...REGIONS],
      states: {
        'us-east-1': { functions: 'running', clockSkewMs: -1_500 },
        'eu-west-1': { functions: 'stopped', clockSkewMs: 0 },
      },
    });
    expect((await call('GET', '/')).routes).toEqual(
      expect.arrayContaining([expect.objectContaining({ method: 'DELETE', path: '/partitions' })]),
    );
  });
});
