import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageNames } from '../../stages/lib/deployment-settings';
import { oversizedPadding } from './support/e2e-target';
import { REGIONS, RouterHarness } from '../../local/harness/router-harness';
import { readStackOutputs, StageTarget } from './support/stage-target';
import { orderId } from './support/inbox-items';

// The deployed-stage target, pointed at the local cloud: the SDK's default chain and endpoint
// variables stand in for an account, and a stand-in `aws` answers describe-stacks from files.
// What it cannot cover: real IAM, real CloudFormation, real EventBridge limits.
const FAKE_AWS = `#!/bin/sh
while [ $# -gt 0 ]; do [ "$1" = --stack-name ] && stack="$2"; shift; done
file="$(dirname "$0")/$stack.json"
[ -f "$file" ] || { echo "An error occurred (ValidationError): Stack with id $stack does not exist" >&2; exit 254; }
cat "$file"
`;
const ENV = [
  'AWS_CLI',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_EVENTBRIDGE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const;

describe('the deployed-stage e2e target, against the local cloud', () => {
  let harness: RouterHarness;
  let target: StageTarget;
  const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
  const bin = mkdtempSync(join(tmpdir(), 'switchyard-fake-aws-'));
  const run = `s${Date.now().toString(36)}`;
  const stack = (outputs: Record<string, string>) =>
    JSON.stringify({
      Stacks: [{ Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }],
    });

  beforeAll(async () => {
    harness = await RouterHarness.start();
    writeFileSync(join(bin, 'aws'), FAKE_AWS);
    chmodSync(join(bin, 'aws'), 0o755);
    writeFileSync(
      join(bin, `switchyard-${harness.stage}.json`),
      stack({ IngressBusName: stageNames(harness.stage).ingressBus }),
    );
    writeFileSync(join(bin, 'switchyard-old.json'), stack({ SomethingElse: 'x' }));
    // Set after the cloud started, so only this file's clients see them (the router's workers copied the environment already).
    Object.assign(process.env, {
      AWS_CLI: join(bin, 'aws'),
      AWS_ENDPOINT_URL_DYNAMODB: harness.rc.cloud.endpoints.dynamodb,
      AWS_ENDPOINT_URL_EVENTBRIDGE: harness.rc.cloud.endpoints.eventBridge,
      AWS_ACCESS_KEY_ID: 'stage',
      AWS_SECRET_ACCESS_KEY: 'stage',
    });
    target = await StageTarget.open({
      stage: harness.stage,
      regions: REGIONS,
      maxEventBytes: 262_144,
      zones: harness.rc.router.config.residencyZones,
    });
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
    await harness?.stop();
    for (const name of ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    rmSync(bin, { recursive: true, force: true });
  });

  it('publishes to the ingress bus the outputs name and reads the delivery from the ledger, as delivered with its bus event id', async () => {
    // Prepare
    const id = orderId(`${run}-ok`);
    // Act
    await target.publish('eu-west-1', [
      {
        Source: 'com.switchyard.orders',
        DetailType: 'OrderPlaced',
        Detail: JSON.stringify({ orderId: `${run}-ok`, total: 5 }),
      },
    ]);
    const deliveries = await target.waitFor('the delivery in the ledger', async () => {
      const found = await target.deliveries([id]);
      return found.length > 0 ? found : undefined;
    });
    // Assess
    expect(deliveries).toEqual([{ id, to: 'fulfilment#eu-west-1' }]);
    expect(await target.ledger('eu-west-1', [id])).toEqual([
      expect.objectContaining({
        to: 'fulfilment#local',
        region: 'eu-west-1',
        status: 'delivered',
        busEventId: expect.any(String),
      }),
    ]);
    // Orders are resident in the global zone: every region holds the item.
    for (const region of REGIONS)
      expect(
        await target.waitFor(`the inbox item in ${region}`, async () => (await target.inbox(region, [id]))[0]),
      ).toMatchObject({ id, home: 'eu-west-1' });
  });

  it('finds quarantined events by their event ids, with an order oversized only by the trace resources delivery adds', async () => {
    // Prepare
    const padding = oversizedPadding(target);
    const entries = [
      { Source: 'com.switchyard.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ total: 1 }) },
      {
        Source: 'com.switchyard.orders',
        DetailType: 'OrderPlaced',
        Detail: JSON.stringify({ orderId: `${run}-big`, padding: 'x'.repeat(padding) }),
      },
    ];
    // Act
    const eventIds = (await target.publish('us-east-1', entries)).map((r) => String(r.EventId));
    const quarantined = await target.waitFor('two quarantined events', async () => {
      const items = await target.quarantined('us-east-1', eventIds);
      return items.length >= 2 ? items : undefined;
    });
    // Assess
    expect(quarantined.map((q) => q.reason).sort()).toEqual(['missing-key', 'oversized']);
    expect(String(quarantined.find((q) => q.reason === 'oversized')?.message)).toMatch(
      /with the trace resources delivery adds, over the 262144-byte limit/,
    );
  });

  it('names the stack and what is missing when outputs are absent or the stack is not there', async () => {
    await expect(readStackOutputs('old', 'us-east-1')).rejects.toThrow(
      /stack switchyard-old in us-east-1 has no output IngressBusName/,
    );
    await expect(readStackOutputs('nosuch', 'us-east-1')).rejects.toThrow(
      /cannot read stack switchyard-nosuch in us-east-1: .*does not exist/,
    );
  });
});
