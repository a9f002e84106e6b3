import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deriveStage } from '../../stages/lib/derive-stage';
import { ROOT } from './helpers/packaged-stage';

type Resource = { Type: string; Properties: Record<string, unknown> };
const derive = (stage: string, region: string, config: unknown, inboxStreamArn: string | null) => {
  const derived = deriveStage(stage, region, config, inboxStreamArn);
  return { ...derived, resources: derived.resources as { Resources: Record<string, Resource> } };
};
const stageFile = (stage: string): Record<string, unknown> =>
  parse(readFileSync(path.join(ROOT, 'stages', `${stage}.yml`), 'utf8')) as Record<string, unknown>;
const STREAM = 'arn:aws:dynamodb:eu-west-1:123456789012:table/switchyard-prod-inbox/stream/2026-11-27T18:00:00.000';

describe('stages/lib/derive-stage.ts', () => {
  it('turns an account root into the account id for Lambda, and into "every principal of the account" for the bus deny', () => {
    const derived = derive('dev', 'eu-west-1', stageFile('dev'), null);
    const permission = Object.values(derived.resources.Resources).find((r) => r.Type === 'AWS::Lambda::Permission');

    expect(permission?.Properties.Principal).toEqual({ 'Fn::Sub': '${AWS::AccountId}' });
    expect(derived.publisherPrincipals).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }]);
    expect(derived.publisherArnPatterns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:*' }]);
  });

  it('keeps role principals exact', () => {
    const derived = derive('prod', 'us-east-1', stageFile('prod'), null);

    expect(derived.publisherArnPatterns).toEqual(derived.publisherPrincipals);
    expect(derived.inboxStreamArn).toEqual({ 'Fn::GetAtt': ['InboxTable', 'StreamArn'] });
  });

  it('uses the replica stream ARN passed to a non-primary region', () => {
    expect(derive('prod', 'eu-west-1', stageFile('prod'), STREAM).inboxStreamArn).toBe(STREAM);
  });

  it("refuses a non-primary region without its stream ARN, or with another region's, and says what to pass", () => {
    expect(() => derive('prod', 'eu-west-1', stageFile('prod'), null)).toThrow(/--param="inboxStreamArn=/);
    expect(() => derive('prod', 'ap-southeast-2', stageFile('prod'), STREAM)).toThrow(
      /ap-southeast-2 is not the primary region/,
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
});
