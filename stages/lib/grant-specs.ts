/**
 * The vocabulary of the role generator (role-grants.ts): one statement before rendering, what a
 * region's grants depend on, the ARN builders of one region, and the rendering into IAM statements
 * (LeadingKeys for writes to shared tables, kms:ViaService for KMS used through SQS).
 */
import { LEDGER_INDEX, stageTableName, zoneTableName, type StageTableName } from '../../shared/table-definitions';
import { stageNames, zonesIn, type FunctionName } from './deployment-settings';
import type { StageConfig } from './stage-file';

type Sub = { 'Fn::Sub': string };
const sub = (template: string): Sub => ({ 'Fn::Sub': template });

/** One statement before rendering: `leadingKeys` limits writes to items with those partition keys. */
export interface GrantSpec {
  sid: string;
  actions: string[];
  resources: unknown[];
  leadingKeys?: string[];
  /** KMS use only on behalf of SQS in this region (sending to an encrypted queue). */
  viaSqs?: boolean;
}

/** Everything a region's grants depend on. */
export interface GrantContext {
  stage: string;
  region: string;
  config: StageConfig;
  /** The inbox stream ARNs route maps here (GetAtt or the passed parameter). */
  inboxStreams: unknown[];
  dataKeyArn: unknown;
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** Regions sharing a zone with `region` (itself included): where its routers may deliver an event. */
export const zoneNeighbours = (config: StageConfig, region: string): string[] =>
  config.regions.filter((r) => zonesIn(config, region).some((zone) => config.residencyZones[zone]?.includes(r)));

const table = (region: string, name: string): Sub =>
  sub(`arn:\${AWS::Partition}:dynamodb:${region}:\${AWS::AccountId}:table/${name}`);
const bus = (region: string, name: string): Sub =>
  sub(`arn:\${AWS::Partition}:events:${region}:\${AWS::AccountId}:event-bus/${name}`);

/** The ARN builders of one region. */
export const arns = (ctx: GrantContext) => {
  const zones = zonesIn(ctx.config, ctx.region);
  const zoneTables = (logical: 'inbox' | 'ledger') =>
    zones.map((zone) => table(ctx.region, zoneTableName(ctx.stage, zone, logical)));
  return {
    inbox: zoneTables('inbox'),
    ledger: zoneTables('ledger'),
    ledgerIndex: (index: keyof typeof LEDGER_INDEX) =>
      zones.map((zone) =>
        table(ctx.region, `${zoneTableName(ctx.stage, zone, 'ledger')}/index/${LEDGER_INDEX[index].name}`),
      ),
    own: (logical: StageTableName) => [table(ctx.region, stageTableName(ctx.stage, logical))],
    everyRegion: (logical: StageTableName) =>
      ctx.config.regions.map((r) => table(r, stageTableName(ctx.stage, logical))),
    targetBuses: (regions: string[]) => regions.flatMap((r) => ctx.config.targetBuses.map((b) => bus(r, b))),
    logs: (fn: FunctionName) => [
      sub(
        `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${stageNames(ctx.stage).function(fn)}:*`,
      ),
    ],
  };
};

/** IAM statements from grant specs; a spec with no resource or no key left grants nothing and is dropped. */
export const renderStatements = (specs: GrantSpec[], region: string) =>
  specs
    .filter((spec) => spec.resources.length > 0 && spec.leadingKeys?.length !== 0)
    .map((spec) => ({
      Sid: spec.sid,
      Effect: 'Allow',
      Action: spec.actions,
      Resource: unique(spec.resources.map((r) => JSON.stringify(r))).map((r) => JSON.parse(r) as unknown),
      ...(spec.leadingKeys
        ? { Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': spec.leadingKeys } } }
        : spec.viaSqs
          ? { Condition: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } } }
          : {}),
    }));
