import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  PutEventsCommand,
  PutPermissionCommand,
  RemovePermissionCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  busArn,
  failureOf,
  orderPlaced,
  startEventBridgeHarness,
  type EventBridgeHarness,
} from './eventbridge-harness';

const REGION = 'us-east-1';
let harness: EventBridgeHarness;

beforeAll(async () => {
  harness = await startEventBridgeHarness();
});

afterAll(async () => {
  await harness?.stop();
});

const client = () => harness.client(REGION, { maxAttempts: 1 });

const describePolicy = async (name: string): Promise<unknown> => {
  const out = await client().send(new DescribeEventBusCommand({ Name: name }));
  return out.Policy === undefined ? undefined : JSON.parse(out.Policy);
};

/** CreateEventBus with a member the SDK's model does not have, sent as the SDK would sign it. */
const createBusRaw = async (input: Record<string, unknown>): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(harness.server.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSEvents.CreateEventBus',
      authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${REGION}/events/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: await response.json() };
};

describe('local EventBridge PutPermission, RemovePermission and the Policy of a bus', () => {
  it('writes the legacy account form as a statement granting that account root, shown by DescribeEventBus', async () => {
    await client().send(new CreateEventBusCommand({ Name: 'legacy' }));

    await client().send(
      new PutPermissionCommand({
        EventBusName: 'legacy',
        Action: 'events:PutEvents',
        Principal: '111122223333',
        StatementId: 'partner',
      }),
    );

    expect(await describePolicy('legacy')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'partner',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'events:PutEvents',
          Resource: busArn(REGION, 'legacy'),
        },
      ],
    });
  });

  it('adds legacy statements by StatementId and removes them one by one, dropping the policy with the last', async () => {
    await client().send(new CreateEventBusCommand({ Name: 'statements' }));
    const grant = (StatementId: string, Principal: string) =>
      client().send(
        new PutPermissionCommand({ EventBusName: 'statements', Action: 'events:PutEvents', Principal, StatementId }),
      );
    await grant('everyone', '*');
    await grant('partner', '111122223333');

    const both = (await describePolicy('statements')) as { Statement: Array<{ Sid: string; Principal: unknown }> };
    await client().send(new RemovePermissionCommand({ EventBusName: 'statements', StatementId: 'everyone' }));
    const one = (await describePolicy('statements')) as { Statement: Array<{ Sid: string }> };
    await client().send(new RemovePermissionCommand({ EventBusName: 'statements', StatementId: 'partner' }));

    expect(both.Statement.map((s) => [s.Sid, s.Principal])).toEqual([
      ['everyone', '*'],
      ['partner', { AWS: 'arn:aws:iam::111122223333:root' }],
    ]);
    expect(one.Statement.map((s) => s.Sid)).toEqual(['partner']);
    expect(await describePolicy('statements')).toBeUndefined();
  });

  it('answers ResourceNotFoundException for a StatementId the policy does not have', async () => {
    const error = await failureOf(client().send(new RemovePermissionCommand({ StatementId: 'nobody' })));

    expect(error).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
  });

  it('replaces the whole policy with a Policy document, and RemoveAllPermissions reopens the bus', async () => {
    await client().send(new CreateEventBusCommand({ Name: 'replaced' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:role/only' }, Action: 'events:*' }],
    };
    await client().send(new PutPermissionCommand({ EventBusName: 'replaced', Policy: JSON.stringify(policy) }));
    const put = () => client().send(new PutEventsCommand({ Entries: [orderPlaced({ EventBusName: 'replaced' })] }));

    const closed = await failureOf(put());
    await client().send(new RemovePermissionCommand({ EventBusName: 'replaced', RemoveAllPermissions: true }));
    const reopened = await put();

    expect(closed).toMatchObject({ name: 'AccessDeniedException' });
    expect(reopened.FailedEntryCount).toBe(0);
    expect(await describePolicy('replaced')).toBeUndefined();
  });

  it('refuses a policy over 10,240 characters with PolicyLengthExceededException', async () => {
    const Statement = Array.from({ length: 120 }, (_, i) => ({
      Sid: `statement${i}`,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::000000000000:role/publisher-${i}` },
      Action: 'events:PutEvents',
    }));

    const error = await failureOf(client().send(new PutPermissionCommand({ Policy: JSON.stringify({ Statement }) })));

    expect(error).toMatchObject({ name: 'PolicyLengthExceededException', $metadata: { httpStatusCode: 400 } });
    expect(await describePolicy('default')).toBeUndefined();
  });

  it('refuses a policy that is not JSON or has no Principal with ValidationException', async () => {
    const notJson = await failureOf(client().send(new PutPermissionCommand({ Policy: '{"Statement": [' })));
    const noPrincipal = await failureOf(
      client().send(
        new PutPermissionCommand({ Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*' }] }) }),
      ),
    );

    expect(notJson).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('not valid JSON') });
    expect(noPrincipal).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('Principal') });
  });

  it('takes a Policy on CreateEventBus and evaluates it for the next PutEvents', async () => {
    const policy = { Statement: [{ Effect: 'Deny', Principal: '*', Action: 'events:PutEvents' }] };

    const created = await createBusRaw({ Name: 'born-closed', Policy: JSON.stringify(policy) });
    const put = await failureOf(
      client().send(new PutEventsCommand({ Entries: [orderPlaced({ EventBusName: 'born-closed' })] })),
    );

    expect(created).toEqual({ status: 200, body: { EventBusArn: busArn(REGION, 'born-closed') } });
    expect(await describePolicy('born-closed')).toEqual(policy);
    expect(put).toMatchObject({ name: 'AccessDeniedException' });
  });
});
