import { describe, expect, it } from 'vitest';
import { probeRegion, type ProbeDeps } from '../../../shared/services/probe-region';
import { createFakeControl } from '../../helpers/fakes';

const NOW = new Date('2026-11-27T10:00:00.000Z');

/** A clock that advances 5 ms each time it is read. */
const steppingClock = () => {
  let t = 0;
  return () => (t += 5);
};

const createProbe = (overrides: Partial<ProbeDeps> = {}) => {
  const control = createFakeControl();
  const deps: ProbeDeps = {
    region: 'eu-west-1',
    control,
    probeDynamo: async () => undefined,
    probeEventBridge: async () => undefined,
    now: () => NOW,
    clock: steppingClock(),
    ...overrides,
  };
  return { deps, control };
};

describe('probeRegion', () => {
  it('records a healthy heartbeat with the time each probe took', async () => {
    // Prepare
    const { deps, control } = createProbe();

    // Act
    const heartbeat = await probeRegion(deps);

    // Assess
    expect(heartbeat).toMatchObject({ region: 'eu-west-1', at: NOW.toISOString(), ok: true, problems: [] });
    expect(heartbeat.dynamodbMs).toBeGreaterThan(0);
    expect(heartbeat.eventBridgeMs).toBeGreaterThan(0);
    expect(control.heartbeats()).toEqual([heartbeat]);
  });

  it('records an unhealthy heartbeat naming a failing EventBridge', async () => {
    // Prepare
    const { deps, control } = createProbe({
      probeEventBridge: async () => {
        throw new Error('bus gone');
      },
    });

    // Act
    const heartbeat = await probeRegion(deps);

    // Assess
    expect(heartbeat).toMatchObject({ ok: false, problems: ['eventbridge: Error: bus gone'] });
    expect(control.heartbeats()).toHaveLength(1);
  });

  it('reports but does not try to store a heartbeat when DynamoDB is failing', async () => {
    // Prepare
    const failure = Object.assign(new Error('connect ECONNREFUSED'), { name: 'NetworkingError' });
    const { deps, control } = createProbe({
      probeDynamo: async () => {
        throw failure;
      },
    });

    // Act
    const heartbeat = await probeRegion(deps);

    // Assess
    expect(heartbeat).toMatchObject({ ok: false, problems: ['dynamodb: NetworkingError: connect ECONNREFUSED'] });
    expect(control.heartbeats()).toEqual([]);
  });
});
