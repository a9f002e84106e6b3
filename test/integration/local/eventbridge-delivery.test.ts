import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryStats } from '../../../local/eventbridge';
import {
  ACCOUNT,
  functionArn,
  orderPlaced,
  queueArn,
  startEventBridgeHarness,
  type EventBridgeHarness,
} from './eventbridge-harness';

let harness: EventBridgeHarness;

beforeAll(async () => {
  harness = await startEventBridgeHarness();
});

afterAll(async () => {
  await harness?.stop();
});

const REGION = 'us-east-1';

/** Puts a rule on the default bus matching one source, with the given targets. */
const ruleFor = async (name: string, targets: Target[], state: 'ENABLED' | 'DISABLED' = 'ENABLED'): Promise<string> => {
  const eb = harness.client(REGION);
  const { RuleArn } = await eb.send(
    new PutRuleCommand({ Name: name, State: state, EventPattern: JSON.stringify({ source: [`test.${name}`] }) }),
  );
  await eb.send(new PutTargetsCommand({ Rule: name, Targets: targets }));
  return RuleArn ?? '';
};

/** Puts one event for the rule and waits until every delivery settled. */
const publishFor = async (name: string, detail: object = { orderId: 'o-1' }): Promise<string> => {
  const out = await harness
    .client(REGION)
    .send(new PutEventsCommand({ Entries: [orderPlaced({ Source: `test.${name}`, Detail: JSON.stringify(detail) })] }));
  await harness.server.inspector.idle();
  return out.Entries?.[0]?.EventId ?? '';
};

const statsOf = (ruleArn: string, targetId: string): DeliveryStats | undefined =>
  harness.server.inspector.listDeliveries().find((d) => d.ruleArn === ruleArn && d.targetId === targetId);

describe('delivery from rules to Lambda targets', () => {
  it('invokes the function with the AWS envelope of the matched event', async () => {
    harness.invoker.deploy(REGION, 'on-order');
    await ruleFor('to-lambda', [{ Id: 'fn', Arn: functionArn(REGION, 'on-order') }]);

    const eventId = await publishFor('to-lambda');

    expect(harness.invoker.callsTo('on-order')).toEqual([
      {
        region: REGION,
        functionName: 'on-order',
        payload: {
          version: '0',
          id: eventId,
          'detail-type': 'OrderPlaced',
          source: 'test.to-lambda',
          account: ACCOUNT,
          time: expect.stringMatching(/Z$/),
          region: REGION,
          resources: [],
          detail: { orderId: 'o-1' },
        },
      },
    ]);
  });

  it('answers PutEvents before a slow function finishes', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    harness.invoker.deploy(REGION, 'slow-fn', { kind: 'wait', until: gate });
    const ruleArn = await ruleFor('non-blocking', [{ Id: 'fn', Arn: functionArn(REGION, 'slow-fn') }]);

    const out = await harness
      .client(REGION)
      .send(new PutEventsCommand({ Entries: [orderPlaced({ Source: 'test.non-blocking' })] }));
    const pending = statsOf(ruleArn, 'fn')?.successes ?? 0;
    release();
    await harness.server.inspector.idle();

    expect(out.FailedEntryCount).toBe(0);
    expect(pending).toBe(0);
    expect(statsOf(ruleArn, 'fn')?.successes).toBe(1);
  });

  it('does not deliver through a disabled rule, and records which rules matched', async () => {
    harness.invoker.deploy(REGION, 'never-called');
    await ruleFor('switched-off', [{ Id: 'fn', Arn: functionArn(REGION, 'never-called') }], 'DISABLED');

    const eventId = await publishFor('switched-off');

    expect(harness.invoker.callsTo('never-called')).toEqual([]);
    const event = harness.server.inspector.listEvents({ region: REGION }).find((e) => e.envelope.id === eventId);
    expect(event?.matchedRules).toEqual([]);
  });

  it('retries a function that fails twice and then succeeds, without dead-lettering', async () => {
    harness.invoker.deploy(REGION, 'flaky', { kind: 'fail-times', remaining: 2 });
    const ruleArn = await ruleFor('retrying', [
      { Id: 'fn', Arn: functionArn(REGION, 'flaky'), DeadLetterConfig: { Arn: queueArn(REGION, 'retry-dlq') } },
    ]);

    await publishFor('retrying');

    expect(harness.invoker.callsTo('flaky')).toHaveLength(3);
    expect(statsOf(ruleArn, 'fn')).toMatchObject({
      attempts: 3,
      failures: 2,
      retries: 2,
      successes: 1,
      deadLettered: 0,
    });
    expect(harness.queues.list({ queueName: 'retry-dlq' })).toEqual([]);
  });

  it('sends an always-failing delivery to the DLQ with AWS attributes once MaximumRetryAttempts runs out', async () => {
    harness.invoker.deploy(REGION, 'broken', { kind: 'always-fail' });
    const targetArn = functionArn(REGION, 'broken');
    const ruleArn = await ruleFor('dead-letters', [
      {
        Id: 'fn',
        Arn: targetArn,
        RetryPolicy: { MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: queueArn(REGION, 'orders-dlq') },
      },
    ]);

    const eventId = await publishFor('dead-letters');

    expect(harness.invoker.callsTo('broken')).toHaveLength(3);
    const [message, ...others] = harness.queues.list({ region: REGION, queueName: 'orders-dlq' });
    expect(others).toEqual([]);
    expect(message?.attributes).toEqual({
      RULE_ARN: ruleArn,
      TARGET_ARN: targetArn,
      ERROR_CODE: 'ERROR_FROM_TARGET',
      ERROR_MESSAGE: 'broken failed: Error: downstream unavailable',
      RETRY_ATTEMPTS: '2',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
    expect(JSON.parse(message?.body ?? '{}')).toMatchObject({ id: eventId, source: 'test.dead-letters' });
    expect(statsOf(ruleArn, 'fn')).toMatchObject({ attempts: 3, failures: 3, deadLettered: 1 });
  });

  it('stops retrying when MaximumEventAgeInSeconds is reached on the scaled clock', async () => {
    harness.invoker.deploy(REGION, 'aging', { kind: 'always-fail' });
    await ruleFor('ages-out', [
      {
        Id: 'fn',
        Arn: functionArn(REGION, 'aging'),
        RetryPolicy: { MaximumEventAgeInSeconds: 60 },
        DeadLetterConfig: { Arn: queueArn(REGION, 'age-dlq') },
      },
    ]);

    await publishFor('ages-out');

    const calls = harness.invoker.callsTo('aging').length;
    expect(calls).toBeGreaterThanOrEqual(5);
    expect(calls).toBeLessThanOrEqual(8);
    expect(harness.queues.list({ queueName: 'age-dlq' })[0]?.attributes.EXHAUSTED_RETRY_CONDITION).toBe(
      'MaximumEventAgeInSeconds',
    );
  });

  it('dead-letters a delivery to a function that does not exist without retrying', async () => {
    await ruleFor('missing-fn', [
      {
        Id: 'fn',
        Arn: functionArn(REGION, 'not-deployed'),
        DeadLetterConfig: { Arn: queueArn(REGION, 'missing-dlq') },
      },
    ]);

    await publishFor('missing-fn');

    expect(harness.invoker.callsTo('not-deployed')).toHaveLength(1);
    const attributes = harness.queues.list({ queueName: 'missing-dlq' })[0]?.attributes;
    expect(attributes).toMatchObject({ ERROR_CODE: 'NO_RESOURCE', RETRY_ATTEMPTS: '0' });
    expect(attributes?.EXHAUSTED_RETRY_CONDITION).toBeUndefined();
  });
});

describe('target input transformation', () => {
  it('passes $.detail for InputPath, the constant for Input, and the filled template for InputTransformer', async () => {
    for (const name of ['by-path', 'by-input', 'by-template']) harness.invoker.deploy(REGION, name);
    await ruleFor('transforms', [
      { Id: 'path', Arn: functionArn(REGION, 'by-path'), InputPath: '$.detail' },
      { Id: 'input', Arn: functionArn(REGION, 'by-input'), Input: '{"fixed":true}' },
      {
        Id: 'template',
        Arn: functionArn(REGION, 'by-template'),
        InputTransformer: {
          InputPathsMap: { order: '$.detail.orderId', total: '$.detail.total', type: '$.detail-type' },
          InputTemplate: '{"order": "<order>", "total": <total>, "type": "<type>", "rule": "<aws.events.rule-name>"}',
        },
      },
    ]);

    await publishFor('transforms', { orderId: 'o-9', total: 12.5 });

    expect(harness.invoker.callsTo('by-path')[0]?.payload).toEqual({ orderId: 'o-9', total: 12.5 });
    expect(harness.invoker.callsTo('by-input')[0]?.payload).toEqual({ fixed: true });
    expect(harness.invoker.callsTo('by-template')[0]?.payload).toEqual({
      order: 'o-9',
      total: 12.5,
      type: 'OrderPlaced',
      rule: 'transforms',
    });
  });
});

describe('endpoint lifecycle', () => {
  it('stops within its grace period even while a function never answers', async () => {
    const local = await startEventBridgeHarness();
    local.invoker.deploy(REGION, 'hangs', { kind: 'wait', until: new Promise<void>(() => undefined) });
    const eb = local.client(REGION);
    await eb.send(new PutRuleCommand({ Name: 'stuck', EventPattern: JSON.stringify({ source: ['test.stuck'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'stuck', Targets: [{ Id: 'fn', Arn: functionArn(REGION, 'hangs') }] }));
    await eb.send(new PutEventsCommand({ Entries: [orderPlaced({ Source: 'test.stuck' })] }));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = Date.now();
    await local.stop();

    expect(local.invoker.callsTo('hangs')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
