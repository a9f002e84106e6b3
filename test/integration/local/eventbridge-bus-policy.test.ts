import {
  CreateEventBusCommand,
  PutEventsCommand,
  PutPermissionCommand,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  busArn,
  failureOf,
  orderPlaced,
  startEventBridgeHarness,
  type EventBridgeHarness,
} from './eventbridge-harness';

const REGION = 'eu-west-1';
let harness: EventBridgeHarness;

beforeAll(async () => {
  harness = await startEventBridgeHarness();
});

afterAll(async () => {
  await harness?.stop();
});

/** A client whose access key id names the caller (see local/aws/principals.ts). */
const as = (accessKeyId: string) =>
  harness.client(REGION, { credentials: { accessKeyId, secretAccessKey: 'not-checked' }, maxAttempts: 1 });

/** Creates a bus and attaches a policy of these statements (Resource defaults to the bus). */
const busWithPolicy = async (name: string, statements: Array<Record<string, unknown>>): Promise<void> => {
  await as('local').send(new CreateEventBusCommand({ Name: name }));
  const Statement = statements.map((s) => ({ Action: 'events:PutEvents', Resource: busArn(REGION, name), ...s }));
  await as('local').send(
    new PutPermissionCommand({ EventBusName: name, Policy: JSON.stringify({ Version: '2012-10-17', Statement }) }),
  );
};

const put = (accessKeyId: string, bus: string, entries: Array<Record<string, unknown>>) =>
  as(accessKeyId).send(new PutEventsCommand({ Entries: entries.map((e) => orderPlaced({ EventBusName: bus, ...e })) }));

const codes = (entries: PutEventsResultEntry[] | undefined): string[] =>
  (entries ?? []).map((e) => e.ErrorCode ?? 'accepted');

describe('local EventBridge bus policies on PutEvents', () => {
  it('lets every principal of the account publish to a bus without a policy', async () => {
    await as('local').send(new CreateEventBusCommand({ Name: 'open' }));

    const out = await put('role-anyone', 'open', [{}]);

    expect(out.FailedEntryCount).toBe(0);
  });

  it('accepts the entries of a principal the policy allows, and records them', async () => {
    await busWithPolicy('allowed', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/publisher` } }]);

    const out = await put('role-publisher', 'allowed', [{ Source: 'policy.allowed' }]);

    expect(out.FailedEntryCount).toBe(0);
    expect(harness.server.inspector.listEvents({ region: REGION, bus: 'allowed' })).toHaveLength(1);
  });

  it('fails only the entry whose source the principal is not bound to, with NotAuthorizedForSourceException', async () => {
    await busWithPolicy('bound', [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/orders` },
        Condition: { StringEquals: { 'events:source': 'com.example.orders' } },
      },
    ]);

    const out = await put('role-orders', 'bound', [
      { Source: 'com.example.orders' },
      { Source: 'com.example.payments' },
    ]);

    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]?.EventId).toBeDefined();
    expect(out.Entries?.[1]).toEqual({
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: 'Not authorized for the source.',
    });
    expect(harness.server.inspector.listEvents({ region: REGION, bus: 'bound' }).map((e) => e.envelope.source)).toEqual(
      ['com.example.orders'],
    );
  });

  it('fails an entry whose detail-type a ForAllValues condition does not list with NotAuthorizedForDetailTypeException', async () => {
    // The shape of the AWS User Guide's cross-account example policy.
    await busWithPolicy('typed', [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Condition: {
          'ForAllValues:StringEquals': { 'events:source': 'com.example.orders' },
          StringEquals: { 'events:detail-type': ['OrderPlaced', 'OrderPaid'] },
        },
      },
    ]);

    const out = await put('user-shop', 'typed', [{ DetailType: 'OrderPaid' }, { DetailType: 'OrderDeleted' }]);

    expect(codes(out.Entries)).toEqual(['accepted', 'NotAuthorizedForDetailTypeException']);
  });

  it('refuses the whole call of an explicitly denied principal with AccessDeniedException', async () => {
    await busWithPolicy('guarded', [
      { Effect: 'Allow', Principal: '*' },
      { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/mallory` } },
    ]);

    const error = await failureOf(put('user-mallory', 'guarded', [{}]));
    const other = await put('user-alice', 'guarded', [{}]);

    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/mallory is not authorized to perform: events:PutEvents on resource: ${busArn(REGION, 'guarded')} with an explicit deny in a resource-based policy`,
      $metadata: { httpStatusCode: 400 },
    });
    expect(other.FailedEntryCount).toBe(0);
  });

  it('refuses a principal no statement allows, naming the missing allow, and records nothing', async () => {
    await busWithPolicy('private', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/owner` } }]);

    const error = await failureOf(put('switchyardlocal', 'private', [{}]));

    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/local is not authorized to perform: events:PutEvents on resource: ${busArn(REGION, 'private')} because no resource-based policy allows the events:PutEvents action`,
    });
    expect(harness.server.inspector.listEvents({ region: REGION, bus: 'private' })).toEqual([]);
  });

  it('treats an account root principal as every principal of that account, and only that account', async () => {
    await busWithPolicy('own-account', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }]);
    await busWithPolicy('other-account', [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' } }]);

    const results = await Promise.all(
      ['local', 'user-alice', 'role-deployer', 'fn-eu-west-1'].map((key) => put(key, 'own-account', [{}])),
    );
    const foreign = await failureOf(put('role-deployer', 'other-account', [{}]));

    expect(results.map((r) => r.FailedEntryCount)).toEqual([0, 0, 0, 0]);
    expect(foreign).toMatchObject({ name: 'AccessDeniedException' });
  });

  it("lets a role principal cover that role's sessions, such as the local functions' role", async () => {
    await busWithPolicy('functions-only', [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/switchyard-local-functions` } },
    ]);

    const fromFunction = await put('fn-eu-west-1', 'functions-only', [{}]);
    const fromUser = await failureOf(put('user-alice', 'functions-only', [{}]));

    expect(fromFunction.FailedEntryCount).toBe(0);
    expect(fromUser).toMatchObject({ name: 'AccessDeniedException' });
  });

  it('evaluates aws:PrincipalArn with ArnLike and an entry-level deny with StringLike', async () => {
    await busWithPolicy('teams', [
      {
        Effect: 'Allow',
        Principal: '*',
        Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/team-*` } },
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Condition: { StringLike: { 'events:source': 'com.example.payments*' } },
      },
    ]);

    const team = await put('role-team-a', 'teams', [
      { Source: 'com.example.orders' },
      { Source: 'com.example.payments.v2' },
    ]);
    const outsider = await failureOf(put('user-bob', 'teams', [{}]));

    expect(codes(team.Entries)).toEqual(['accepted', 'NotAuthorizedForSourceException']);
    expect(outsider).toMatchObject({ name: 'AccessDeniedException' });
  });

  it('checks each bus of a mixed call against its own policy', async () => {
    await busWithPolicy('strict', [
      { Effect: 'Allow', Principal: '*', Condition: { StringNotEquals: { 'events:source': 'com.example.spam' } } },
    ]);
    await as('local').send(new CreateEventBusCommand({ Name: 'lenient' }));

    const out = await put('user-alice', 'strict', [
      { Source: 'com.example.spam' },
      { Source: 'com.example.spam', EventBusName: 'lenient' },
    ]);

    expect(codes(out.Entries)).toEqual(['NotAuthorizedForSourceException', 'accepted']);
  });
});
