import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FunctionInvocationError, FunctionServiceUnavailableError } from '../../../local/lambda/function-invoker';
import { createStreamMapping, type StreamMapping } from '../../../local/lambda/stream-mapping';
import { functionArn, queueArn } from './eventbridge-harness';
import { REGIONS, startDrillHarness, type DrillHarness } from './drill-harness';
import { POLL, RecordingInvoker, createStreamTable } from './stream-mapping-harness';

const [EAST, WEST, SYDNEY] = REGIONS;

describe("a region's functions stopped by a drill", () => {
  let h: DrillHarness;
  const mappings: StreamMapping[] = [];

  beforeAll(async () => {
    h = await startDrillHarness(['stream-consumer', 'region-echo']);
  });

  // A failed test must not leave a region stopped for the next one.
  afterEach(() => REGIONS.forEach((region) => h.runtime.regionStates.setFunctions(region, 'running')));

  afterAll(async () => {
    await Promise.all(mappings.map((m) => m.stop()));
    await h.stop();
  });

  const setFunctions = (region: string, state: string) => h.call('PUT', `/regions/${region}/functions`, { state });

  it('fails invocations in the stopped region as the Lambda service would, and leaves other regions running', async () => {
    await h.runtime.invoke(EAST, 'region-echo', {});
    const before = h.runtime.stats(EAST, 'region-echo')?.invocations;
    await setFunctions(EAST, 'stopped');

    const failure = await h.runtime.invoke(EAST, 'region-echo', {}).catch((error: unknown) => error);
    const elsewhere = await h.runtime.invoke(WEST, 'region-echo', { note: 'still up' });

    expect(failure).toBeInstanceOf(FunctionServiceUnavailableError);
    expect(failure).toBeInstanceOf(FunctionInvocationError);
    expect(failure).toMatchObject({ errorType: 'ServiceUnavailableException', region: EAST });
    expect(elsewhere).toMatchObject({ awsRegion: WEST, note: 'still up' });
    expect(h.runtime.stats(EAST, 'region-echo')?.invocations).toBe(before);
    await setFunctions(EAST, 'running');
    await expect(h.runtime.invoke(EAST, 'region-echo', { note: 'back' })).resolves.toMatchObject({ note: 'back' });
  });

  it('pauses a stream mapping without counting retries or dead-lettering, then resumes from its checkpoint', async () => {
    const tableName = 'paused-stream';
    await createStreamTable(h.dynamo(WEST), tableName);
    const recorder = new RecordingInvoker(h.runtime);
    const dlq = queueArn(WEST, 'paused-stream-failures');
    const mapping = await createStreamMapping({
      region: WEST,
      tableName,
      functionName: 'stream-consumer',
      invoker: recorder,
      dynamodbEndpoint: h.proxy.endpoint,
      startingPosition: 'TRIM_HORIZON',
      queues: h.queues,
      maximumRetryAttempts: 0,
      retryDelayMs: 20,
      destinationConfig: { onFailure: { destination: dlq } },
    });
    mappings.push(mapping);
    await setFunctions(WEST, 'stopped');
    for (const id of ['s1', 's2', 's3'])
      await h.dynamo(WEST).send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id } } }));

    await expect.poll(() => mapping.stats().paused, POLL).toBe(true);
    // Several pause polls have passed: with no retries allowed, one counted failure would have dead-lettered.
    await expect.poll(() => recorder.invocations.length, POLL).toBeGreaterThanOrEqual(5);
    expect(recorder.succeededIds()).toEqual([]);
    expect(mapping.stats()).toMatchObject({
      batches: 0,
      failures: 0,
      retries: 0,
      onFailureSends: 0,
      discardedRecords: 0,
    });
    expect(h.runtime.stats(WEST, 'stream-consumer')?.invocations).toBe(0);

    await setFunctions(WEST, 'running');

    await expect.poll(() => recorder.succeededIds().sort(), POLL).toEqual(['s1', 's2', 's3']);
    expect(mapping.stats()).toMatchObject({ paused: false, failures: 0, onFailureSends: 0, discardedRecords: 0 });
    expect(h.queues.list({ queueName: 'paused-stream-failures' })).toEqual([]);
  });

  it('fails a rule target that invokes a stopped function, retries it per the RetryPolicy, then dead-letters it', async () => {
    const events = h.events(SYDNEY);
    await events.send(new PutRuleCommand({ Name: 'echo', EventPattern: JSON.stringify({ source: ['test.drill'] }) }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'echo',
        Targets: [
          {
            Id: 'fn',
            Arn: functionArn(SYDNEY, 'region-echo'),
            RetryPolicy: { MaximumRetryAttempts: 2 },
            DeadLetterConfig: { Arn: queueArn(SYDNEY, 'echo-dlq') },
          },
        ],
      }),
    );
    await setFunctions(SYDNEY, 'stopped');

    await events.send(new PutEventsCommand({ Entries: [{ Source: 'test.drill', DetailType: 'T', Detail: '{}' }] }));

    await expect.poll(() => h.queues.list({ queueName: 'echo-dlq' }).length, POLL).toBe(1);
    expect(h.queues.list({ queueName: 'echo-dlq' })[0]?.attributes).toMatchObject({
      ERROR_CODE: 'ERROR_FROM_TARGET',
      RETRY_ATTEMPTS: '2',
    });
    expect(h.runtime.stats(SYDNEY, 'region-echo')?.invocations).toBe(0);
    await setFunctions(SYDNEY, 'running');
  });

  it('shows each region’s function state in GET /regions and rejects a bad state or region with a 400', async () => {
    await setFunctions(SYDNEY, 'stopped');

    const regions = await h.call('GET', '/regions');
    const badState = await setFunctions(EAST, 'paused');
    const badRegion = await setFunctions('mars-1', 'stopped');

    expect(regions.body).toEqual({
      regions: [...REGIONS],
      states: {
        [EAST]: { functions: 'running', clockSkewMs: 0 },
        [WEST]: { functions: 'running', clockSkewMs: 0 },
        [SYDNEY]: { functions: 'stopped', clockSkewMs: 0 },
      },
    });
    expect(badState).toEqual({
      status: 400,
      body: { error: 'Body must be {"state": "stopped"} or {"state": "running"}' },
    });
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.error).toContain('Unknown region "mars-1"');
    await setFunctions(SYDNEY, 'running');
  });
});
