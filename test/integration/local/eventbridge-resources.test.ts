import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  InvalidEventPatternException,
  LimitExceededException,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  failureOf,
  functionArn,
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

const PATTERN = JSON.stringify({ source: ['com.example.orders'] });

describe('local EventBridge event buses', () => {
  it('gives every region a default bus with an ARN in that region', async () => {
    const described = await harness.client('ap-southeast-2').send(new DescribeEventBusCommand({}));

    expect(described.Name).toBe('default');
    expect(described.Arn).toBe(`arn:aws:events:ap-southeast-2:${ACCOUNT}:event-bus/default`);
    expect(described.CreationTime).toBeInstanceOf(Date);
  });

  it('creates a custom bus, echoes its description and describes it by name and by ARN', async () => {
    const eb = harness.client('us-east-1');

    const created = await eb.send(new CreateEventBusCommand({ Name: 'orders', Description: 'order events' }));
    const byName = await eb.send(new DescribeEventBusCommand({ Name: 'orders' }));
    const byArn = await eb.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));

    expect(created).toMatchObject({
      EventBusArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders`,
      Description: 'order events',
    });
    expect(byName).toMatchObject({ Name: 'orders', Arn: created.EventBusArn, Description: 'order events' });
    expect(byArn.Name).toBe('orders');
    expect(Math.abs((byName.CreationTime?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('keeps regions apart: a bus created in one region does not exist in another', async () => {
    await harness.client('us-east-1').send(new CreateEventBusCommand({ Name: 'only-in-virginia' }));

    const elsewhere = harness.client('eu-west-1').send(new DescribeEventBusCommand({ Name: 'only-in-virginia' }));

    await expect(elsewhere).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(elsewhere).rejects.toThrow('Event bus only-in-virginia does not exist.');
  });

  it('rejects a second bus with the same name with ResourceAlreadyExistsException', async () => {
    const eb = harness.client('eu-west-1');
    await eb.send(new CreateEventBusCommand({ Name: 'dupe' }));

    const again = eb.send(new CreateEventBusCommand({ Name: 'dupe' }));

    await expect(again).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(again).rejects.toThrow('Event bus dupe already exists.');
  });

  it('lists buses by prefix and pages them with Limit and NextToken', async () => {
    const eb = harness.client('ap-southeast-2');
    for (const name of ['page-a', 'page-b', 'page-c']) await eb.send(new CreateEventBusCommand({ Name: name }));

    const first = await eb.send(new ListEventBusesCommand({ NamePrefix: 'page-', Limit: 2 }));
    const second = await eb.send(
      new ListEventBusesCommand({ NamePrefix: 'page-', Limit: 2, NextToken: first.NextToken }),
    );

    expect(first.EventBuses?.map((b) => b.Name)).toEqual(['page-a', 'page-b']);
    expect(first.NextToken).toBeDefined();
    expect(second.EventBuses?.map((b) => b.Name)).toEqual(['page-c']);
    expect(second.NextToken).toBeUndefined();
  });

  it('deletes a custom bus but refuses to delete the default bus', async () => {
    const eb = harness.client('us-east-1');
    await eb.send(new CreateEventBusCommand({ Name: 'short-lived' }));

    await eb.send(new DeleteEventBusCommand({ Name: 'short-lived' }));
    const deleteDefault = await failureOf(eb.send(new DeleteEventBusCommand({ Name: 'default' })));

    await expect(eb.send(new DescribeEventBusCommand({ Name: 'short-lived' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(deleteDefault).toMatchObject({ name: 'ValidationException', message: 'Cannot delete event bus default.' });
  });
});

describe('local EventBridge rules', () => {
  it('names rules on the default bus rule/<name> and on a custom bus rule/<bus>/<name>', async () => {
    const eb = harness.client('us-east-1');
    await eb.send(new CreateEventBusCommand({ Name: 'rules-bus' }));

    const onDefault = await eb.send(new PutRuleCommand({ Name: 'r1', EventPattern: PATTERN }));
    const onCustom = await eb.send(
      new PutRuleCommand({ Name: 'r1', EventBusName: 'rules-bus', EventPattern: PATTERN }),
    );

    expect(onDefault.RuleArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/r1`);
    expect(onCustom.RuleArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/rules-bus/r1`);
  });

  it('describes a rule with its pattern, state, bus and creator', async () => {
    const eb = harness.client('eu-west-1');
    await eb.send(
      new PutRuleCommand({ Name: 'described', EventPattern: PATTERN, Description: 'd', State: 'DISABLED' }),
    );

    const rule = await eb.send(new DescribeRuleCommand({ Name: 'described' }));

    expect(rule).toMatchObject({
      Name: 'described',
      EventPattern: PATTERN,
      State: 'DISABLED',
      Description: 'd',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
  });

  it('rejects an invalid pattern with InvalidEventPatternException carrying the reason', async () => {
    const put = harness
      .client('us-east-1')
      .send(new PutRuleCommand({ Name: 'bad', EventPattern: JSON.stringify({ source: 'not-an-array' }) }));

    await expect(put).rejects.toBeInstanceOf(InvalidEventPatternException);
    await expect(put).rejects.toThrow(/^Event pattern is not valid\. Reason: .+/);
  });

  it('requires an EventPattern or a ScheduleExpression, and schedules only on the default bus', async () => {
    const eb = harness.client('us-east-1');
    await eb.send(new CreateEventBusCommand({ Name: 'no-schedules' }));

    const neither = await failureOf(eb.send(new PutRuleCommand({ Name: 'empty' })));
    const scheduled = await eb.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(5 minutes)' }));
    const scheduledOnCustom = await failureOf(
      eb.send(
        new PutRuleCommand({ Name: 'tick', EventBusName: 'no-schedules', ScheduleExpression: 'rate(5 minutes)' }),
      ),
    );

    expect(neither).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    });
    expect(scheduled.RuleArn).toContain(':rule/tick');
    expect(scheduledOnCustom).toMatchObject({ name: 'ValidationException' });
  });

  it('answers ResourceNotFoundException for a rule on a missing bus and for a missing rule', async () => {
    const eb = harness.client('us-east-1');

    const onMissingBus = await failureOf(
      eb.send(new PutRuleCommand({ Name: 'x', EventBusName: 'nope', EventPattern: PATTERN })),
    );
    const missingRule = await failureOf(eb.send(new DescribeRuleCommand({ Name: 'ghost' })));

    expect(onMissingBus).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Event bus nope does not exist.',
    });
    expect(missingRule).toBeInstanceOf(ResourceNotFoundException);
    expect(missingRule).toMatchObject({ message: 'Rule ghost does not exist on EventBus default.' });
  });

  it('replaces a rule on a second PutRule while keeping its targets', async () => {
    const eb = harness.client('ap-southeast-2');
    await eb.send(new PutRuleCommand({ Name: 'replaced', EventPattern: PATTERN, Description: 'first' }));
    await eb.send(
      new PutTargetsCommand({ Rule: 'replaced', Targets: [{ Id: 'fn', Arn: functionArn('ap-southeast-2', 'f') }] }),
    );

    await eb.send(new PutRuleCommand({ Name: 'replaced', EventPattern: JSON.stringify({ source: ['other'] }) }));
    const rule = await eb.send(new DescribeRuleCommand({ Name: 'replaced' }));
    const targets = await eb.send(new ListTargetsByRuleCommand({ Rule: 'replaced' }));

    expect(rule.EventPattern).toBe(JSON.stringify({ source: ['other'] }));
    expect(rule.Description).toBeUndefined();
    expect(targets.Targets?.map((t) => t.Id)).toEqual(['fn']);
  });

  it('lists rules by prefix with paging, and enables and disables them', async () => {
    const eb = harness.client('eu-west-1');
    for (const name of ['list-1', 'list-2', 'list-3'])
      await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));

    await eb.send(new DisableRuleCommand({ Name: 'list-2' }));
    const page = await eb.send(new ListRulesCommand({ NamePrefix: 'list-', Limit: 2 }));
    const rest = await eb.send(new ListRulesCommand({ NamePrefix: 'list-', NextToken: page.NextToken }));
    await eb.send(new EnableRuleCommand({ Name: 'list-2' }));
    const enabled = await eb.send(new DescribeRuleCommand({ Name: 'list-2' }));

    expect(page.Rules?.map((r) => [r.Name, r.State])).toEqual([
      ['list-1', 'ENABLED'],
      ['list-2', 'DISABLED'],
    ]);
    expect(rest.Rules?.map((r) => r.Name)).toEqual(['list-3']);
    expect(enabled.State).toBe('ENABLED');
    await expect(eb.send(new EnableRuleCommand({ Name: 'ghost' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses to delete a rule that still has targets, and deletes it once they are removed', async () => {
    const eb = harness.client('us-east-1');
    await eb.send(new PutRuleCommand({ Name: 'sticky', EventPattern: PATTERN }));
    await eb.send(
      new PutTargetsCommand({ Rule: 'sticky', Targets: [{ Id: 't', Arn: functionArn('us-east-1', 'f') }] }),
    );

    await expect(eb.send(new DeleteRuleCommand({ Name: 'sticky' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
    });
    await eb.send(new RemoveTargetsCommand({ Rule: 'sticky', Ids: ['t'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'sticky' }));

    await expect(eb.send(new DescribeRuleCommand({ Name: 'sticky' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('local EventBridge targets', () => {
  it('stores up to five targets per rule and answers LimitExceededException for the sixth', async () => {
    // The SDK retries LimitExceededException as throttling; one attempt keeps the test fast.
    const eb = harness.client('us-east-1', { maxAttempts: 1 });
    await eb.send(new PutRuleCommand({ Name: 'five', EventPattern: PATTERN }));
    const targets = [1, 2, 3, 4, 5].map((n) => ({ Id: `t${n}`, Arn: functionArn('us-east-1', `f${n}`) }));

    const ok = await eb.send(new PutTargetsCommand({ Rule: 'five', Targets: targets }));
    const sixth = eb.send(
      new PutTargetsCommand({ Rule: 'five', Targets: [{ Id: 't6', Arn: functionArn('us-east-1', 'f6') }] }),
    );

    expect(ok).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    await expect(sixth).rejects.toBeInstanceOf(LimitExceededException);
    await expect(sixth).rejects.toThrow('The requested resource exceeds the maximum number allowed.');
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'five' }));
    expect(listed.Targets).toHaveLength(5);
  });

  it('replaces a target that is put again with the same Id', async () => {
    const eb = harness.client('us-east-1');
    await eb.send(new PutRuleCommand({ Name: 'upsert', EventPattern: PATTERN }));
    await eb.send(
      new PutTargetsCommand({ Rule: 'upsert', Targets: [{ Id: 'same', Arn: functionArn('us-east-1', 'old') }] }),
    );

    await eb.send(
      new PutTargetsCommand({
        Rule: 'upsert',
        Targets: [{ Id: 'same', Arn: functionArn('us-east-1', 'new'), InputPath: '$.detail' }],
      }),
    );
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'upsert' }));

    expect(listed.Targets).toEqual([{ Id: 'same', Arn: functionArn('us-east-1', 'new'), InputPath: '$.detail' }]);
  });

  it('rejects a target Id outside [.-_A-Za-z0-9] with AWS constraint text', async () => {
    const eb = harness.client('us-east-1');
    await eb.send(new PutRuleCommand({ Name: 'ids', EventPattern: PATTERN }));

    const bad = eb.send(
      new PutTargetsCommand({ Rule: 'ids', Targets: [{ Id: '!@#$@!#$', Arn: functionArn('us-east-1', 'f') }] }),
    );

    await expect(bad).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    });
  });

  it('rejects a RetryPolicy outside AWS ranges and a DLQ that is not an SQS queue', async () => {
    const eb = harness.client('us-east-1');
    await eb.send(new PutRuleCommand({ Name: 'policies', EventPattern: PATTERN }));
    const arn = functionArn('us-east-1', 'f');

    const tooYoung = await failureOf(
      eb.send(
        new PutTargetsCommand({
          Rule: 'policies',
          Targets: [{ Id: 'a', Arn: arn, RetryPolicy: { MaximumEventAgeInSeconds: 30 } }],
        }),
      ),
    );
    const notQueue = await failureOf(
      eb.send(
        new PutTargetsCommand({ Rule: 'policies', Targets: [{ Id: 'a', Arn: arn, DeadLetterConfig: { Arn: arn } }] }),
      ),
    );

    expect((tooYoung as Error).message).toContain(
      "at 'targets.1.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    );
    expect(notQueue).toMatchObject({ name: 'ValidationException' });
  });

  it('answers ResourceNotFoundException when targets are put on a missing rule', async () => {
    const put = harness
      .client('us-east-1')
      .send(new PutTargetsCommand({ Rule: 'ghost', Targets: [{ Id: 'a', Arn: functionArn('us-east-1', 'f') }] }));

    await expect(put).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
