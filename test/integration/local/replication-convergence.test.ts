import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplicator } from '../../../local/replication/replicator';
import { POLL } from './stream-mapping-harness';
import { REGIONS, TABLE, startReplicationHarness, type ReplicationHarness } from './replication-harness';

const [EAST, WEST, SYDNEY] = REGIONS;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('global-tables replicator: propagation, streams and last-writer-wins', () => {
  let h: ReplicationHarness;

  beforeAll(async () => {
    h = await startReplicationHarness(50);
  });

  afterAll(async () => {
    await h.stop();
  });

  const valuesEverywhere = (id: string) => Promise.all(REGIONS.map((region) => h.readValue(region, id)));

  it('replicates inserts, updates and deletes from every region to every other region', async () => {
    for (const region of REGIONS) await h.put(region, TABLE, `from-${region}`, { v: { S: `born-in-${region}` } });
    await h.replicator.idle();
    for (const region of REGIONS)
      expect(await valuesEverywhere(`from-${region}`)).toEqual([
        `born-in-${region}`,
        `born-in-${region}`,
        `born-in-${region}`,
      ]);

    await h.put(WEST, TABLE, `from-${EAST}`, { v: { S: 'updated-in-west' } });
    await h.remove(SYDNEY, TABLE, `from-${WEST}`);
    await h.replicator.idle();
    expect(await valuesEverywhere(`from-${EAST}`)).toEqual(['updated-in-west', 'updated-in-west', 'updated-in-west']);
    expect(await valuesEverywhere(`from-${WEST}`)).toEqual([null, null, null]);
  });

  it("shows a write as a stream record in every replica's stream exactly once and never echoes it back", async () => {
    const before = h.replicator.status();
    await h.put(EAST, TABLE, 'echo-probe', { v: { S: 'one' } });
    await h.put(EAST, TABLE, 'echo-probe', { v: { S: 'two' } });
    await h.replicator.idle();
    for (const region of REGIONS)
      await expect.poll(() => h.streamEvents(region, 'echo-probe'), POLL).toEqual(['INSERT', 'MODIFY']);
    await sleep(300);
    for (const region of REGIONS) expect(h.streamEvents(region, 'echo-probe')).toEqual(['INSERT', 'MODIFY']);
    const westInsert = h.streams[WEST]?.invocations
      .flatMap((i) => i.records)
      .find((r) => r.dynamodb?.Keys?.id?.S === 'echo-probe');
    expect(westInsert).toMatchObject({ awsRegion: WEST, dynamodb: { NewImage: { v: { S: 'one' } } } });
    const after = h.replicator.status();
    expect(after.localWrites - before.localWrites).toBe(2);
    expect(after.echoesSuppressed - before.echoesSuppressed).toBe(4);
  });

  /** Waits until the replicator has seen `count` more local writes, so a later write is later in its eyes too. */
  const waitForLocalWrites = async (before: number, count: number) => {
    await expect.poll(() => h.replicator.status().localWrites - before, POLL).toBeGreaterThanOrEqual(count);
  };

  it('converges every region on the later write when two regions write one key within the lag window', async () => {
    h.replicator.setLag(1_500);
    const before = h.replicator.status().localWrites;
    await h.put(EAST, TABLE, 'contested', { v: { S: 'east-first' } });
    await waitForLocalWrites(before, 1);
    await h.put(WEST, TABLE, 'contested', { v: { S: 'west-later' } });
    await h.replicator.idle();
    expect(await valuesEverywhere('contested')).toEqual(['west-later', 'west-later', 'west-later']);
    const eastToWest = h.replicator.status().pairs.find((p) => p.source === EAST && p.target === WEST);
    expect(eastToWest?.superseded).toBeGreaterThanOrEqual(1);
    h.replicator.setLag(50);
  });

  it('never shows an older replicated write over a newer local one, even for a moment, and converges', async () => {
    h.replicator.setLag(200);
    // Second writes land around the moment the first write is applied there, to hit the race both ways.
    const offsets = [150, 160, 170, 180, 190, 195, 200, 205, 210, 215, 220, 230, 240, 250, 260];
    const before = h.replicator.status().localWrites;
    await Promise.all(offsets.map((offset) => h.put(SYDNEY, TABLE, `race-${offset}`, { v: { S: 'older' } })));
    await waitForLocalWrites(before, offsets.length);
    await Promise.all(
      offsets.map(async (offset) => {
        await sleep(offset - 30);
        await h.put(EAST, TABLE, `race-${offset}`, { v: { S: 'newer' } });
      }),
    );
    await h.replicator.idle();
    for (const offset of offsets) expect(await valuesEverywhere(`race-${offset}`)).toEqual(['newer', 'newer', 'newer']);
    // On AWS a replica drops a replicated write older than its own: EAST's stream never goes back to 'older'.
    const eastChanges = (h.streams[EAST]?.invocations ?? [])
      .flatMap((i) => i.records)
      .filter((r) => r.dynamodb?.Keys?.id?.S?.startsWith('race-'))
      .map((r) => `${r.dynamodb?.OldImage?.v?.S ?? '-'}>${r.dynamodb?.NewImage?.v?.S ?? '-'}`);
    expect(eastChanges).not.toContain('newer>older');
    h.replicator.setLag(50);
  });

  it('writes over an item a region held before replication started, once its stream shows no newer write', async () => {
    // Prepare: a table whose WEST copy holds an item no replicator has seen (replication starts from LATEST).
    const table = 'switchyard-test-preexisting';
    await Promise.all(REGIONS.map((region) => h.createTable(region, table)));
    await h.put(WEST, table, 'old-item', { v: { S: 'from-before' } });
    const late = await startReplicator({
      regions: REGIONS,
      tableNames: [table],
      dynamodbEndpoint: h.engine.endpoint,
      lagMs: 50,
      onError: (error) => h.errors.push(error),
    });
    try {
      // Act
      await h.put(EAST, table, 'old-item', { v: { S: 'replicated' } });
      await late.idle();
      // Assess: WEST refused the first try (it held an unknown image), then took the write
      expect(late.status().appliesRefused).toBeGreaterThanOrEqual(1);
      for (const region of REGIONS) {
        const out = await h
          .client(region)
          .send(new GetItemCommand({ TableName: table, Key: { id: { S: 'old-item' } }, ConsistentRead: true }));
        expect(out.Item?.v?.S).toBe('replicated');
      }
    } finally {
      await late.stop();
    }
  });
});
