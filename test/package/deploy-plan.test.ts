import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deployPlan } from '../../scripts/lib/deploy-plan';
import { deriveStage } from '../../stages/lib/derive-stage';
import { readStageFile, validateStage, type StageConfig } from '../../stages/lib/stage-file';
import { owningRegion, tableLayout } from '../../stages/lib/table-layout';
import { ROOT } from './helpers/packaged-stage';

const run = promisify(execFile);

/** Four regions, the primary last in stage order, and zones owned by three different stacks. */
const scattered = (): StageConfig =>
  validateStage('prod', {
    ...readStageFile(ROOT, 'prod'),
    regions: ['eu-central-1', 'eu-west-1', 'us-east-1', 'ap-southeast-2'],
    primaryRegion: 'us-east-1',
    residencyZones: {
      europe: ['eu-west-1', 'eu-central-1'],
      west: ['eu-west-1', 'us-east-1', 'ap-southeast-2'],
      pacific: ['ap-southeast-2', 'eu-central-1'],
    },
    zoneRetentionDays: undefined,
  });

describe('the deploy plan (scripts/lib/deploy-plan.ts)', () => {
  it.each([
    ['prod', () => readStageFile(ROOT, 'prod')],
    ['dev', () => readStageFile(ROOT, 'dev')],
    ['local', () => readStageFile(ROOT, 'local')],
    ['a stage whose zones are owned by three stacks', scattered],
  ])('deploys every stack after the stacks that own the inbox streams it reads (%s)', (_name, load) => {
    const config = load();
    const plan = deployPlan('prod', config);
    const position = new Map(plan.map((step, i) => [step.region, i]));
    const inboxOf = (zone: string) => tableLayout('prod', config).find((t) => t.logical === 'inbox' && t.zone === zone);

    expect(plan[0]?.region).toBe(config.primaryRegion);
    expect(plan.map((s) => s.region).sort()).toEqual([...config.regions].sort());
    for (const step of plan)
      for (const zone of step.streams) {
        const table = inboxOf(zone);
        const owner = table ? owningRegion(table, config) : '?';
        expect(position.get(owner) ?? Infinity, `${step.region} reads ${zone} owned by ${owner}`).toBeLessThan(
          position.get(step.region) ?? -1,
        );
      }
  });

  it('gives a zone without the primary to the stack of its first region in stage order, which deploys before its readers', () => {
    const plan = deployPlan('prod', scattered());

    expect(plan.map((s) => [s.region, s.owns.filter((t) => t.endsWith('-inbox')), s.streams])).toEqual([
      ['us-east-1', ['switchyard-prod-west-inbox'], []],
      ['eu-central-1', ['switchyard-prod-europe-inbox', 'switchyard-prod-pacific-inbox'], []],
      ['eu-west-1', [], ['europe', 'west']],
      ['ap-southeast-2', [], ['west', 'pacific']],
    ]);
  });
});

describe('scripts/deploy.sh (DRY_RUN=1, offline)', () => {
  it('deploys the keys everywhere, then each app stack in plan order with the stream parameter derive-stage accepts', async () => {
    const { stdout, stderr } = await run('bash', ['scripts/deploy.sh', 'prod'], {
      cwd: ROOT,
      env: { ...process.env, DRY_RUN: '1' },
    });
    const commands = stderr.split('\n').filter((line) => line.startsWith('[dry-run]'));
    const keys = commands.filter((c) => c.includes('-c serverless.keys.yml'));
    const apps = commands
      .filter((c) => / deploy --stage prod --region /.test(c))
      .map((c) => ({
        region: / --region (\S+)/.exec(c)?.[1] ?? '',
        streams: / --param=inboxStreams=(\S+)/.exec(c)?.[1] ?? null,
      }));
    const config = readStageFile(ROOT, 'prod');

    expect(stdout).toContain('prod deployed');
    expect(commands.indexOf(keys.at(-1) ?? '')).toBeLessThan(
      commands.findIndex((c) => c.includes('deploy --stage prod --region')),
    );
    expect(apps.map((a) => a.region)).toEqual(deployPlan('prod', config).map((s) => s.region));
    for (const app of apps) expect(() => deriveStage('prod', app.region, config, app.streams)).not.toThrow();
  }, 60_000);
});
