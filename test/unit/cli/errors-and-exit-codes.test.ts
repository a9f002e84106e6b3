import { describe, expect, it } from 'vitest';
import { CannotReachError, EXIT } from '../../../cli/cli-errors';
import { ok, refused, runWithFakeAdmin } from './cli-harness';

describe('errors say what went wrong and what to do next, with an exit code scripts can branch on', () => {
  it('prints a refused catalog with the path of every issue and exits 1', async () => {
    const issues = [
      { path: 'tenants', message: 'expected record, received number' },
      { path: 'routes[0].targets', message: 'unknown target nowhere' },
    ];
    const answer = () => refused('CatalogValidation', 'Routes catalog is not valid:\n  - tenants: …', issues);

    const run = await runWithFakeAdmin(['routes', 'publish', 'c.yaml'], answer, { files: { 'c.yaml': 'version: 3' } });

    expect(run.code).toBe(EXIT.refused);
    expect(run.stderr).toBe(
      [
        'error: routes.publish refused (CatalogValidation): Routes catalog is not valid:',
        '  - tenants: expected record, received number',
        '  - routes[0].targets: unknown target nowhere',
        '',
      ].join('\n'),
    );
  });

  it('joins the path of a request validation issue', async () => {
    const answer = () =>
      refused('InvalidRequest', 'region.fence request is not valid', [
        { path: ['region'], message: 'must be a region' },
      ]);

    const run = await runWithFakeAdmin(['region', 'fence', 'eu-west-1'], answer);

    expect(run.stderr).toContain('  - region: must be a region');
    expect(run.stderr).toContain('next: see npx switchyard region fence --help');
  });

  it('explains an action this admin does not have yet (replay before it lands)', async () => {
    const run = await runWithFakeAdmin(['replay', 'list'], () =>
      refused('UnknownAction', 'unknown action "replay.list"'),
    );

    expect(run.code).toBe(EXIT.refused);
    expect(run.stderr).toContain("next: this local cloud's admin function has no replay.list yet");
  });

  it('answers a refusal as JSON on stdout with --json', async () => {
    const run = await runWithFakeAdmin(['--json', 'region', 'fence', 'eu-west-1'], () =>
      refused('NoQuorum', 'Only 1 regions answered'),
    );

    expect(run.code).toBe(EXIT.refused);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      action: 'region.fence',
      error: { code: 'NoQuorum', message: 'Only 1 regions answered' },
    });
  });

  it('exits 3 with the next step when the admin cannot be reached', async () => {
    const answer = () => {
      throw new CannotReachError(
        'cannot reach the local cloud (ECONNREFUSED).',
        'is `npm start` running?',
        'ECONNREFUSED',
      );
    };

    const run = await runWithFakeAdmin(['region', 'status'], answer);

    expect(run.code).toBe(EXIT.unreachable);
    expect(run.stderr).toBe('error: cannot reach the local cloud (ECONNREFUSED).\nnext: is `npm start` running?\n');
  });

  it.each([
    ['an unknown command', ['nonsense']],
    ['a bad version number', ['routes', 'activate', 'two']],
    ['a queue that does not exist', ['redrive', 'list', 'some-queue']],
    ['a bad day', ['audit', '--day', '30/11/2026']],
    ['a command group without its command', ['routes']],
  ])('exits 2 on %s without calling the admin', async (_what, argv) => {
    const run = await runWithFakeAdmin(argv);

    expect(run.code).toBe(EXIT.usage);
    expect(run.requests).toEqual([]);
  });

  it('exits 2 when the catalog file cannot be read, naming it', async () => {
    const run = await runWithFakeAdmin(['routes', 'publish', 'missing.yaml']);

    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('error: cannot read missing.yaml: ENOENT');
  });

  it('refuses to erase without --yes, and without exactly one of --key and --event-id', async () => {
    const unconfirmed = await runWithFakeAdmin(['erase', 'com.x', '--key', '"o-1"']);
    const both = await runWithFakeAdmin(['erase', 'com.x', '--key', '"o-1"', '--event-id', 'e', '--yes']);

    expect([unconfirmed.code, both.code]).toEqual([EXIT.usage, EXIT.usage]);
    expect(unconfirmed.stderr).toContain('needs --yes');
    expect(both.stderr).toContain('exactly one of --key or --event-id');
    expect([...unconfirmed.requests, ...both.requests]).toEqual([]);
  });

  it('exits 0 for --help and --version', async () => {
    const help = await runWithFakeAdmin(['--help']);
    const version = await runWithFakeAdmin(['--version']);

    expect([help.code, version.code]).toEqual([EXIT.ok, EXIT.ok]);
    expect(help.stdout).toContain(
      'Exit codes: 0 ok, 1 refused by the admin function, 2 usage error, 3 cannot reach it.',
    );
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('needs --region to target a deployed stage', async () => {
    const run = await runWithFakeAdmin(['--stage', 'prod', 'region', 'status'], () => ok({}));

    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('next: add --region');
  });
});
