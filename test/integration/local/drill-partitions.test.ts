import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateEventBusCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callerRegionOf } from '../../../local/aws/caller-region';
import { busArn, queueArn } from './eventbridge-harness';
import { REGIONS, startDrillHarness, type DrillHarness } from './drill-harness';
import { POLL } from './stream-mapping-harness';

const [EAST, WEST, SYDNEY] = REGIONS;

interface RemoteCallOutcome {
  ok: boolean;
  code?: string;
  httpStatusCode?: number | null;
}

describe('region partitions for functions: DynamoDB, EventBridge and bus-to-bus forwarding', () => {
  let h: DrillHarness;

  beforeAll(async () => {
    h = await startDrillHarness(['remote-caller']);
  });

  afterEach(() => h.partitions.clearAll());

  afterAll(async () => {
    await h.stop();
  });

  /** Has the remote-caller function of `from` call `service` in region `to`. */
  const callFrom = async (from: string, service: 'dynamodb' | 'events', to: string): Promise<RemoteCallOutcome> =>
    (await h.runtime.invoke(from, 'remote-caller', { service, region: to })) as RemoteCallOutcome;

  it('names the region of a function key and no region for any other key', () => {
    expect(callerRegionOf('fn-eu-west-1')).toBe('eu-west-1');
    expect(callerRegionOf('AKIATESTCALLER')).toBeUndefined();
    expect(callerRegionOf('fn-')).toBeUndefined();
    expect(callerRegionOf(undefined)).toBeUndefined();
  });

  it("resets a partitioned function's cross-region DynamoDB call, while its own region and a test client still get through", async () => {
    h.partitions.set(EAST, WEST);

    const [crossing, sameRegion, otherPair, reverse] = await Promise.all([
      callFrom(EAST, 'dynamodb', WEST),
      callFrom(EAST, 'dynamodb', EAST),
      callFrom(EAST, 'dynamodb', SYDNEY),
      callFrom(WEST, 'dynamodb', EAST),
    ]);
    const testClient = await h.dynamo(WEST).send(new ListTablesCommand({}));

    expect(crossing).toMatchObject({ ok: false, code: 'ECONNRESET', httpStatusCode: null });
    expect(reverse).toMatchObject({ ok: false, code: 'ECONNRESET' });
    expect(sameRegion).toEqual({ ok: true });
    expect(otherPair).toEqual({ ok: true });
    expect(testClient.$metadata.httpStatusCode).toBe(200);
  });

  it('lets the same cross-region DynamoDB call through once the partition heals', async () => {
    h.partitions.set(EAST, WEST);
    expect(await callFrom(EAST, 'dynamodb', WEST)).toMatchObject({ ok: false });

    h.partitions.clear(WEST, EAST);

    expect(await callFrom(EAST, 'dynamodb', WEST)).toEqual({ ok: true });
  });

  it("resets a partitioned function's cross-region EventBridge call and serves its same-region call", async () => {
    h.partitions.set(WEST, SYDNEY);

    const [crossing, sameRegion, unpartitioned] = await Promise.all([
      callFrom(WEST, 'events', SYDNEY),
      callFrom(WEST, 'events', WEST),
      callFrom(WEST, 'events', EAST),
    ]);

    expect(crossing).toMatchObject({ ok: false, code: 'ECONNRESET', httpStatusCode: null });
    expect(sameRegion).toEqual({ ok: true });
    expect(unpartitioned).toEqual({ ok: true });
  });

  it('fails bus-to-bus forwarding across a partition, retries it per the RetryPolicy and dead-letters it; forwards again after heal', async () => {
    await h.events(WEST).send(new CreateEventBusCommand({ Name: 'fulfilment' }));
    const east = h.events(EAST);
    await east.send(
      new PutRuleCommand({ Name: 'to-west', EventPattern: JSON.stringify({ source: ['test.forward'] }) }),
    );
    await east.send(
      new PutTargetsCommand({
        Rule: 'to-west',
        Targets: [
          {
            Id: 'west-bus',
            Arn: busArn(WEST, 'fulfilment'),
            RetryPolicy: { MaximumRetryAttempts: 2 },
            DeadLetterConfig: { Arn: queueArn(EAST, 'forward-dlq') },
          },
        ],
      }),
    );
    const publish = async (id: string) =>
      east.send(
        new PutEventsCommand({ Entries: [{ Source: 'test.forward', DetailType: 'T', Detail: `{"id":"${id}"}` }] }),
      );
    const arrived = (id: string) =>
      h.eventBridge.inspector.listEvents({ region: WEST, bus: 'fulfilment' }).some((e) => e.envelope.detail.id === id);
    h.partitions.set(EAST, WEST);

    await publish('during-partition');

    await expect.poll(() => h.queues.list({ queueName: 'forward-dlq' }).length, POLL).toBe(1);
    expect(h.queues.list({ queueName: 'forward-dlq' })[0]?.attributes).toMatchObject({
      ERROR_CODE: 'CROSS_REGION_INGESTION_FAILED',
      RETRY_ATTEMPTS: '2',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
    expect(arrived('during-partition')).toBe(false);
    h.partitions.clear(EAST, WEST);
    await publish('after-heal');
    await expect.poll(() => arrived('after-heal'), POLL).toBe(true);
    expect(h.queues.list({ queueName: 'forward-dlq' })).toHaveLength(1);
  });

  it('sets, lists and heals partitions over the control API, one pair or all at once', async () => {
    expect(await h.call('PUT', `/partitions/${WEST}/${EAST}`)).toEqual({
      status: 200,
      body: { partitions: [[EAST, WEST].sort()] },
    });
    await h.call('PUT', `/partitions/${SYDNEY}/${EAST}`);
    expect(h.partitions.isPartitioned(EAST, SYDNEY)).toBe(true);
    expect((await h.call('DELETE', `/partitions/${EAST}/${WEST}`)).body).toEqual({
      partitions: [[EAST, SYDNEY].sort()],
    });
    await h.call('PUT', `/partitions/${WEST}/${SYDNEY}`);

    const healed = await h.call('DELETE', '/partitions');

    expect(healed.body).toEqual({ partitions: [] });
    expect((await h.call('GET', '/partitions')).body).toEqual({ partitions: [] });
  });

  it('rejects an unknown region or a region partitioned from itself with a 400 that names the regions', async () => {
    const unknown = await h.call('PUT', `/partitions/${EAST}/mars-1`);
    const self = await h.call('PUT', `/partitions/${EAST}/${EAST}`);

    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe(`Unknown region "mars-1"; the local cloud has ${REGIONS.join(', ')}`);
    expect(self).toEqual({ status: 400, body: { error: 'A partition needs two different regions' } });
    expect(h.partitions.list()).toEqual([]);
  });
});
