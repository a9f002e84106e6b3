import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfig } from '../../shared/config';
import { functionEnvironment } from '../../stages/lib/deployment-settings';
import { deriveStage } from '../../stages/lib/derive-stage';
import { streamsNeeded } from '../../stages/lib/inbox-streams';
import { validateStage } from '../../stages/lib/stage-file';
import { ROOT } from './helpers/packaged-stage';

type Resource = { Type: string; Properties: Record<string, unknown> };
type StreamEvent = { stream: { arn: unknown } };
const derive = (stage: string, region: string, config: unknown, inboxStreams: string | null) => {
  const derived = deriveStage(stage, region, config, inboxStreams);
  return {
    ...derived,
    resources: derived.resources as { Resources: Record<string, Resource> },
    arns: (derived.routeEvents as StreamEvent[]).map((e) => e.stream.arn),
  };
};
const stageFile = (stage: string): Record<string, unknown> =>
  parse(readFileSync(path.join(ROOT, 'stages', `${stage}.yml`), 'utf8')) as Record<string, unknown>;
const stream = (region: string, zone: string) =>
  `arn:aws:dynamodb:${region}:123456789012:table/switchyard-prod-${zone}-inbox/stream/2026-11-27T18:00:00.000`;
const EU_STREAMS = `global=${stream('eu-west-1', 'global')};transatlantic=${stream('eu-west-1', 'transatlantic')}`;
/** A zone whose regions exclude the primary: the stack of its first region (b) owns its tables. */
const threeRegions = {
  ...stageFile('prod'),
  regions: ['us-east-1', 'eu-west-1', 'eu-central-1'],
  residencyZones: { all: ['us-east-1', 'eu-west-1', 'eu-central-1'], europe: ['eu-west-1', 'eu-central-1'] },
  zoneRetentionDays: undefined,
};
const tableIds = (derived: ReturnType<typeof derive>) =>
  Object.entries(derived.resources.Resources)
    .filter(([, r]) => r.Type.startsWith('AWS::DynamoDB::'))
    .map(([id]) => id);

describe('stages/lib/derive-stage.ts', () => {
  it('turns an account root into the account id for Lambda, and into "every principal of the account" for the bus deny', () => {
    const derived = derive('dev', 'eu-west-1', stageFile('dev'), null);
    const permission = Object.values(derived.resources.Resources).find((r) => r.Type === 'AWS::Lambda::Permission');
    const deny = derived.busPolicy.Statement.find((s) => s.Sid === 'DenyUnlistedPrincipals');

    expect(permission?.Properties.Principal).toEqual({ 'Fn::Sub': '${AWS::AccountId}' });
    expect(deny?.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:*' }] },
    });
  });

  it("declares in the primary's stack the control table and every zone table with a replica there, and maps their streams with GetAtt", () => {
    const derived = derive('prod', 'us-east-1', stageFile('prod'), null);

    expect(tableIds(derived).sort()).toEqual(
      [
        'ControlTable',
        'CoordTable',
        'InboxGlobalTable',
        'InboxTransatlanticTable',
        'InboxUsTable',
        'LedgerGlobalTable',
        'LedgerTransatlanticTable',
        'LedgerUsTable',
        'QuarantineTable',
      ].sort(),
    );
    expect(derived.arns).toEqual([
      { 'Fn::GetAtt': ['InboxUsTable', 'StreamArn'] },
      { 'Fn::GetAtt': ['InboxGlobalTable', 'StreamArn'] },
      { 'Fn::GetAtt': ['InboxTransatlanticTable', 'StreamArn'] },
    ]);
  });

  it("owns a zone without the primary in its first region's stack, and takes the other zones' streams from the parameter", () => {
    const derived = derive('prod', 'eu-west-1', stageFile('prod'), EU_STREAMS);

    expect(tableIds(derived).sort()).toEqual(['CoordTable', 'InboxEuTable', 'LedgerEuTable', 'QuarantineTable']);
    expect(derived.arns).toEqual([
      { 'Fn::GetAtt': ['InboxEuTable', 'StreamArn'] },
      stream('eu-west-1', 'global'),
      stream('eu-west-1', 'transatlantic'),
    ]);
  });

  it("refuses a missing stream, another region's or table's, or one for a zone that needs none, and says what to pass", () => {
    const config = stageFile('prod');

    expect(() => derive('prod', 'eu-west-1', config, null)).toThrow(
      /--param="inboxStreams=global=<LatestStreamArn of switchyard-prod-global-inbox in eu-west-1>;transatlantic=/,
    );
    expect(() => derive('prod', 'ap-southeast-2', config, `global=${stream('eu-west-1', 'global')}`)).toThrow(
      /reads the global inbox/,
    );
    expect(() => derive('prod', 'eu-west-1', config, `${EU_STREAMS};eu=${stream('eu-west-1', 'eu')}`)).toThrow(
      /needs no stream ARN for zone eu/,
    );
  });

  it('asks a region for the stream of a zone owned by an earlier non-primary region, and nothing else', () => {
    const config = validateStage('prod', threeRegions);

    expect(['us-east-1', 'eu-west-1', 'eu-central-1'].map((r) => streamsNeeded('prod', config, r))).toEqual([
      [],
      ['all'],
      ['all', 'europe'],
    ]);
    expect(tableIds(derive('prod', 'eu-west-1', threeRegions, `all=${stream('eu-west-1', 'all')}`))).toContain(
      'InboxEuropeTable',
    );
  });

  it('refuses a region outside the stage, and a stage file with a field out of range', () => {
    expect(() => derive('prod', 'sa-east-1', stageFile('prod'), null)).toThrow(/sa-east-1 is not in stage prod/);
    expect(() => derive('prod', 'us-east-1', { ...stageFile('prod'), primaryRegion: 'sa-east-1' }, null)).toThrow(
      /primaryRegion must be one of regions/,
    );
    expect(() =>
      derive('prod', 'us-east-1', { ...stageFile('prod'), residencyZones: { eu: ['eu-west-1'] } }, null),
    ).toThrow(/leaves us-east-1 in no zone/);
  });

  it("refuses an event size limit above PutEvents' 256 KiB request limit, in the stage file and in the function's environment", () => {
    const limits = stageFile('prod').limits as Record<string, unknown>;
    expect(() =>
      derive('prod', 'us-east-1', { ...stageFile('prod'), limits: { ...limits, maxEventBytes: 262_145 } }, null),
    ).toThrow(/limits\.maxEventBytes/);
    const environment = {
      ...functionEnvironment('prod', validateStage('prod', stageFile('prod'))),
      AWS_REGION: 'us-east-1',
    };
    expect(readConfig({ ...environment, MAX_EVENT_BYTES: '262144' }).maxEventBytes).toBe(262_144);
    expect(() => readConfig({ ...environment, MAX_EVENT_BYTES: '262145' })).toThrow(/MAX_EVENT_BYTES/);
  });
});
