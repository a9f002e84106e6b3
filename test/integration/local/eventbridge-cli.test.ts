import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, startEventBridgeHarness, type EventBridgeHarness } from './eventbridge-harness';

const AWS_CLI = '/usr/bin/aws';
const cliInstalled = existsSync(AWS_CLI);
if (!cliInstalled)
  console.warn(`Skipping the local EventBridge CLI tests: ${AWS_CLI} is not installed on this machine.`);

const run = promisify(execFile);
let harness: EventBridgeHarness;

beforeAll(async () => {
  if (cliInstalled) harness = await startEventBridgeHarness();
});

afterAll(async () => {
  await harness?.stop();
});

/** Runs the CLI against the local endpoint; async, because the endpoint runs in this very process. */
const aws = async (args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'AKIACLITEST',
    AWS_SECRET_ACCESS_KEY: 'not-checked',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_PAGER: '',
  };
  try {
    const { stdout, stderr } = await run(
      AWS_CLI,
      [...args, '--endpoint-url', harness.server.endpoint, '--region', 'eu-west-1', '--output', 'json'],
      { env },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', code: failed.code ?? -1 };
  }
};

describe.skipIf(!cliInstalled)('local EventBridge through the aws CLI', () => {
  it('puts events with `aws events put-events` into the region named by --region', async () => {
    const entries = JSON.stringify([{ Source: 'cli.test', DetailType: 'CliEvent', Detail: JSON.stringify({ a: 1 }) }]);

    const result = await aws(['events', 'put-events', '--entries', entries]);

    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { FailedEntryCount: number; Entries: Array<{ EventId: string }> };
    expect(out.FailedEntryCount).toBe(0);
    const [event] = harness.server.inspector.listEvents({ region: 'eu-west-1', source: 'cli.test' });
    expect(event?.envelope).toMatchObject({
      id: out.Entries[0]?.EventId,
      region: 'eu-west-1',
      account: ACCOUNT,
      detail: { a: 1 },
    });
  });

  it('reports a malformed detail per entry through the CLI', async () => {
    const entries = JSON.stringify([{ Source: 'cli.test', DetailType: 'CliEvent', Detail: 'NotJSON' }]);

    const result = await aws(['events', 'put-events', '--entries', entries]);

    expect(JSON.parse(result.stdout)).toEqual({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }],
    });
  });

  it('answers `aws events test-event-pattern` with the match result', async () => {
    const event = JSON.stringify({
      id: '1',
      account: ACCOUNT,
      source: 'cli.test',
      time: '2026-01-01T00:00:00Z',
      region: 'eu-west-1',
      'detail-type': 'CliEvent',
      detail: {},
    });

    // Two CLI processes in parallel: each takes seconds to start on a busy machine.
    const [hit, miss] = await Promise.all([
      aws([
        'events',
        'test-event-pattern',
        '--event-pattern',
        JSON.stringify({ source: ['cli.test'] }),
        '--event',
        event,
      ]),
      aws(['events', 'test-event-pattern', '--event-pattern', JSON.stringify({ source: ['other'] }), '--event', event]),
    ]);

    expect(JSON.parse(hit.stdout)).toEqual({ Result: true });
    expect(JSON.parse(miss.stdout)).toEqual({ Result: false });
  });

  it('surfaces a whole-request error code and message on stderr with a failing exit code', async () => {
    const result = await aws(['events', 'describe-event-bus', '--name', 'missing-bus']);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('ResourceNotFoundException');
    expect(result.stderr).toContain('Event bus missing-bus does not exist.');
  });
});
