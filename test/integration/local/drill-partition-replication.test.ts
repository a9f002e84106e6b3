import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../../local/control/control-server';
import { drillControlRoutes } from '../../../local/faults/drill-control-routes';
import { Partitions } from '../../../local/faults/partitions';
import { replicationControlRoutes } from '../../../local/replication/replication-control-routes';
import { REGIONS, TABLE, startReplicationHarness, type ReplicationHarness } from './replication-harness';

const [EAST, WEST, SYDNEY] = REGIONS;

describe('replication follows the shared region partitions', () => {
  const partitions = new Partitions(REGIONS);
  let h: ReplicationHarness;
  let control: ControlServer;

  beforeAll(async () => {
    h = await startReplicationHarness(50, { partitions });
    control = await startControlServer([
      ...replicationControlRoutes(h.replicator),
      ...drillControlRoutes({ regions: REGIONS, partitions, regionStates: h.runtime.regionStates }),
    ]);
  });

  afterAll(async () => {
    await control.stop();
    await h.stop();
  });

  const call = async (method: string, path: string) => {
    const response = await fetch(`${control.endpoint}${path}`, { method });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const pair = (source: string, target: string) =>
    h.replicator.status().pairs.find((p) => p.source === source && p.target === target);

  it('holds replication between regions partitioned through /partitions and delivers the held writes on heal', async () => {
    await call('PUT', `/partitions/${EAST}/${WEST}`);

    await h.put(EAST, TABLE, 'cut-off', { v: { S: 'during-partition' } });
    await h.replicator.idle();

    expect(await h.readValue(SYDNEY, 'cut-off')).toBe('during-partition');
    expect(await h.readValue(WEST, 'cut-off')).toBeNull();
    expect(pair(EAST, WEST)).toMatchObject({ partitioned: true, pending: 1 });
    expect(pair(WEST, EAST)).toMatchObject({ partitioned: true });

    await call('DELETE', '/partitions');
    await h.replicator.idle();

    expect(await h.readValue(WEST, 'cut-off')).toBe('during-partition');
    expect(pair(EAST, WEST)).toMatchObject({ partitioned: false, pending: 0 });
  });

  it('records a partition made through /replication/partitions in the shared model, and heals it from /partitions', async () => {
    const set = await call('PUT', `/replication/partitions/${WEST}/${SYDNEY}`);

    expect(set.body).toMatchObject({ partitions: [[SYDNEY, WEST].sort()] });
    expect((await call('GET', '/partitions')).body).toEqual({ partitions: [[SYDNEY, WEST].sort()] });
    expect(partitions.isPartitioned(SYDNEY, WEST)).toBe(true);

    await call('DELETE', `/partitions/${SYDNEY}/${WEST}`);

    expect(h.replicator.status().partitions).toEqual([]);
    expect(pair(WEST, SYDNEY)).toMatchObject({ partitioned: false });
  });
});
