import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/cli-errors';
import { ok, runWithFakeAdmin } from './cli-harness';

const REGION_STATUS = {
  regions: [
    { region: 'us-east-1', state: 'healthy', fence: null, heartbeat: { at: '2026-11-30T10:00:00.000Z', ok: true } },
    {
      region: 'eu-west-1',
      state: 'fenced',
      fence: { mode: 'fence', at: '2026-11-30T09:59:00.000Z', by: 'arn:aws:iam::000000000000:role/operator' },
      heartbeat: null,
    },
  ],
  leases: [
    { zone: 'global', home: 'us-east-1', holder: 'us-east-1', epoch: 3, expiresAt: '2026-11-30T10:00:05.000Z' },
    { zone: 'global', home: 'eu-west-1', holder: null, epoch: 2, expiresAt: null },
  ],
};

describe('human output', () => {
  it("prints each region's state and fence, then the owner and epoch of each (zone, home)", async () => {
    const run = await runWithFakeAdmin(['region', 'status'], () => ok(REGION_STATUS));

    expect(run.stdout.split('\n')).toEqual([
      'REGION     STATE    FENCE                                             HEARTBEAT',
      'us-east-1  healthy  -                                                 ok 2026-11-30T10:00:00.000Z',
      'eu-west-1  fenced   fence by arn:aws:iam::000000000000:role/operator  none',
      '',
      'ZONE    HOME       OWNER                   EPOCH  LEASE UNTIL',
      'global  us-east-1  us-east-1               3      2026-11-30T10:00:05.000Z',
      'global  eu-west-1  nobody (lease expired)  2      -',
      '',
    ]);
  });

  it('marks audit entries whose caller could not be verified', async () => {
    const entries = [
      {
        action: 'region.fence',
        at: '2026-11-30T10:00:00.000Z',
        outcome: 'ok',
        caller: { principal: 'arn:aws:iam::000000000000:user/local', verified: true },
        details: { region: 'eu-west-1' },
      },
      {
        action: 'routes.show',
        at: '2026-11-30T09:00:00.000Z',
        outcome: 'ok',
        caller: { principal: 'bob', verified: false },
      },
    ];

    const run = await runWithFakeAdmin(['audit'], () => ok({ day: '2026-11-30', entries }));

    expect(run.stdout).toContain('arn:aws:iam::000000000000:user/local  {"region":"eu-west-1"}');
    expect(run.stdout).toContain('bob (unverified)');
  });

  it('shows the active catalog as YAML under its version', async () => {
    const run = await runWithFakeAdmin(['routes', 'show'], () =>
      ok({ version: 4, document: { version: 4, zones: { eu: ['eu-west-1'] } } }),
    );

    expect(run.stdout).toBe('# routes catalog version 4 (active)\nversion: 4\nzones:\n  eu:\n    - eu-west-1\n');
  });

  it('tells how to publish when no catalog is active', async () => {
    const run = await runWithFakeAdmin(['routes', 'show'], () => ok({ version: null, document: null }));

    expect(run.stdout).toContain(
      'No routes catalog is active. Publish one: npx switchyard routes publish FILE --activate',
    );
  });

  it('prints the dry-run counts by tenant, route and target region, largest first', async () => {
    const counts = {
      total: 7,
      byTenant: { orders: 2, payments: 5 },
      byRoute: { 'payments-everywhere': 5, 'orders-to-fulfilment': 2 },
      byTargetRegion: { 'eu-west-1': 7 },
    };

    const run = await runWithFakeAdmin(['replay', 'start', '--dry-run'], () => ok({ dryRun: true, counts }));

    expect(run.stdout).toContain('Dry run: 7 deliveries would be replayed; nothing was sent.');
    expect(run.stdout).toContain('TENANT    DELIVERIES\npayments  5\norders    2');
    expect(run.stdout).toContain('TARGET REGION  DELIVERIES\neu-west-1      7');
  });

  it('says whether a publish activated the version, and what was active before', async () => {
    const run = await runWithFakeAdmin(
      ['routes', 'publish', 'c.yaml', '--activate'],
      () => ok({ version: 2, published: 'published', activated: true, previous: 1 }),
      { files: { 'c.yaml': 'version: 2' } },
    );

    expect(run.stdout).toBe('Published routes catalog version 2.\nActivated version 2 (was 1).\n');
  });

  it('tables a listing whose items the CLI does not know, and says how to get the next page', async () => {
    const items = [{ eventId: 'e1', tenant: 'orders', reason: 'AccessDenied' }];

    const run = await runWithFakeAdmin(['parked', 'list'], () => ok({ items, nextPage: 'p2' }));

    expect(run.stdout).toContain('EVENTID  TENANT  REASON\ne1       orders  AccessDenied');
    expect(run.stdout).toContain('more: npx switchyard parked list --page p2');
  });

  it('writes the reconcile report as HTML to the file named by --html', async () => {
    const answers: Record<string, unknown> = {
      'reconcile.start': { reportId: 'rep-1', state: 'STARTING' },
      'reconcile.status': { reportId: 'rep-1', state: 'COMPLETED' },
      'reconcile.report': { format: 'html', body: '<html>report</html>' },
    };

    const run = await runWithFakeAdmin(['reconcile', 'eu-west-1', '--html', 'out.html'], (r) => ok(answers[r.action]));

    expect(run.requests.at(-1)).toMatchObject({ action: 'reconcile.report', format: 'html' });
    expect(run.files.get('out.html')).toBe('<html>report</html>');
    expect(run.stdout).toBe('Wrote reconcile report rep-1 to out.html\n');
    expect(run.code).toBe(EXIT.ok);
  });

  it('prints the reconcile report with --json as one JSON document, not as the text the admin rendered', async () => {
    const report = { reportId: 'rep-1', counts: { missing: 0, 'delivered-more-than-once': 1 } };
    const answers: Record<string, unknown> = {
      'reconcile.status': { reportId: 'rep-1', state: 'COMPLETED' },
      'reconcile.report': { format: 'json', body: JSON.stringify(report, null, 2) },
    };

    const run = await runWithFakeAdmin(['--json', 'reconcile', '--report', 'rep-1'], (r) => ok(answers[r.action]));

    expect(run.requests.at(-1)).toMatchObject({ action: 'reconcile.report', format: 'json' });
    expect(JSON.parse(run.stdout)).toEqual(report);
    expect(run.code).toBe(EXIT.ok);
  });

  it('prints only the result as JSON with --json', async () => {
    const run = await runWithFakeAdmin(['--json', 'routes', 'activate', '2'], () => ok({ version: 2, previous: 1 }));

    expect(JSON.parse(run.stdout)).toEqual({ version: 2, previous: 1 });
    expect(run.stderr).toBe('');
  });
});
