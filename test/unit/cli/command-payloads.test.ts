import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/cli-errors';
import { ok, runWithFakeAdmin } from './cli-harness';

const CATALOG = 'version: 2\ndescription: test\n';

/** Each command line and the one admin request it must send (first request only). */
const CASES: Array<[string, string[], Record<string, unknown>]> = [
  ['routes publish', ['routes', 'publish', 'cat.yaml'], { action: 'routes.publish', yaml: CATALOG, activate: false }],
  [
    'routes publish --activate',
    ['routes', 'publish', 'cat.yaml', '--activate'],
    { action: 'routes.publish', yaml: CATALOG, activate: true },
  ],
  ['routes activate', ['routes', 'activate', '3'], { action: 'routes.activate', version: 3 }],
  ['routes show', ['routes', 'show'], { action: 'routes.show' }],
  ['routes show <version>', ['routes', 'show', '2'], { action: 'routes.show', version: 2 }],
  ['routes diff', ['routes', 'diff', '1', '2'], { action: 'routes.diff', from: 1, to: 2 }],
  [
    'routes what-if',
    ['routes', 'what-if', 'cat.yaml', '--from', '2026-11-01', '--regions', 'us-east-1,eu-west-1', '--limit', '50'],
    {
      action: 'routes.what-if',
      yaml: CATALOG,
      from: '2026-11-01T00:00:00.000Z',
      regions: ['us-east-1', 'eu-west-1'],
      limit: 50,
    },
  ],
  [
    'replay start --dry-run',
    ['replay', 'start', '--tenant', 'orders', '--status', 'parked', '--target-region', 'eu-west-1', '--dry-run'],
    {
      action: 'replay.start',
      selection: { tenant: 'orders', status: 'parked', region: 'eu-west-1' },
      mode: 'missing',
      dryRun: true,
    },
  ],
  [
    'replay start (every selector)',
    [
      'replay',
      'start',
      '--route',
      'r1',
      '--source',
      'com.x',
      '--target',
      'fulfilment',
      '--from',
      '2026-11-01T10:00:00Z',
      '--to',
      '2026-11-02T10:00:00Z',
      '--event-id',
      'e1',
      '--event-id',
      'e2',
      '--mode',
      'force',
      '--budget',
      '20',
      '--detach',
    ],
    {
      action: 'replay.start',
      selection: {
        route: 'r1',
        source: 'com.x',
        target: 'fulfilment',
        from: '2026-11-01T10:00:00.000Z',
        to: '2026-11-02T10:00:00.000Z',
        eventIds: ['e1', 'e2'],
      },
      mode: 'force',
      budgetPerSecond: 20,
    },
  ],
  ['replay status', ['replay', 'status', 'job-1'], { action: 'replay.status', jobId: 'job-1' }],
  ['replay list', ['replay', 'list'], { action: 'replay.list' }],
  ['replay cancel', ['replay', 'cancel', 'job-1'], { action: 'replay.cancel', jobId: 'job-1' }],
  ['replay pause', ['replay', 'pause', 'job-1'], { action: 'replay.pause', jobId: 'job-1' }],
  ['replay resume', ['replay', 'resume', 'job-1'], { action: 'replay.resume', jobId: 'job-1' }],
  [
    'reconcile',
    ['reconcile', 'eu-west-1', '--from', '2026-11-01T00:00:00Z'],
    { action: 'reconcile.start', region: 'eu-west-1', from: '2026-11-01T00:00:00.000Z' },
  ],
  [
    'parked list',
    ['parked', 'list', '--tenant', 'orders', '--zone', 'eu', '--limit', '20', '--page', 'tok'],
    { action: 'parked.list', tenant: 'orders', zone: 'eu', limit: 20, page: 'tok' },
  ],
  [
    'redrive list',
    ['redrive', 'list', 'ingest-dlq', '--limit', '5'],
    { action: 'redrive.list', queue: 'ingest-dlq', limit: 5 },
  ],
  [
    'redrive run',
    ['redrive', 'run', 'route-failed', '--message-id', 'm1', '--message-id', 'm2'],
    { action: 'redrive.run', queue: 'route-failed', messageIds: ['m1', 'm2'] },
  ],
  ['region status', ['region', 'status'], { action: 'region.status' }],
  ['region fence', ['region', 'fence', 'eu-west-1'], { action: 'region.fence', region: 'eu-west-1' }],
  ['region drain', ['region', 'drain', 'eu-west-1'], { action: 'region.drain', region: 'eu-west-1' }],
  ['region unfence', ['region', 'unfence', 'eu-west-1'], { action: 'region.unfence', region: 'eu-west-1' }],
  ['audit', ['audit', '--day', '2026-11-30', '--limit', '10'], { action: 'audit.list', day: '2026-11-30', limit: 10 }],
  [
    'erase --key',
    ['erase', 'com.switchyard.eu.customers', '--key', '["c-1", 3]', '--yes'],
    { action: 'erase', source: 'com.switchyard.eu.customers', key: ['c-1', 3] },
  ],
  [
    'erase --event-id',
    ['erase', 'com.x', '--event-id', 'e-9', '--yes'],
    { action: 'erase', source: 'com.x', eventId: 'e-9' },
  ],
];

describe('each command sends its admin action with the fields the admin expects', () => {
  it.each(CASES)('%s', async (_name, argv, expected) => {
    const { requests } = await runWithFakeAdmin(['--json', ...argv], () => ok({ state: 'COMPLETED' }), {
      files: { 'cat.yaml': CATALOG },
    });

    expect(requests[0]).toEqual(expected);
  });

  it('follows a reconcile to its report: start, status until final, then the report in the chosen format', async () => {
    const answers: Record<string, unknown> = {
      'reconcile.start': { reportId: 'rep-1', state: 'RUNNING' },
      'reconcile.status': { reportId: 'rep-1', state: 'COMPLETED' },
      'reconcile.report': { format: 'table', body: 'ok' },
    };

    const run = await runWithFakeAdmin(['reconcile', 'eu-west-1'], (r) => ok(answers[r.action]));

    expect(run.requests.map((r) => r.action)).toEqual(['reconcile.start', 'reconcile.status', 'reconcile.report']);
    expect(run.requests[2]).toEqual({ action: 'reconcile.report', reportId: 'rep-1', format: 'table' });
    expect(run.code).toBe(EXIT.ok);
  });

  it('accepts global options after the command as well as before it', async () => {
    const run = await runWithFakeAdmin(['region', 'status', '--region', 'eu-west-1', '--json'], () =>
      ok({ regions: [], leases: [] }),
    );

    expect(run.targets[0]?.region).toBe('eu-west-1');
    expect(JSON.parse(run.stdout)).toEqual({ regions: [], leases: [] });
  });
});
