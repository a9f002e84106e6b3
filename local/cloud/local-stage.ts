import { existsSync } from 'node:fs';
import path from 'node:path';
import { functionEnvironment, stageNames, type FunctionName } from '../../stages/lib/deployment-settings';
import { readStageFile, validateStage, type StageConfig } from '../../stages/lib/stage-file';
import { stageTableName, zoneTableName, type ZoneTableName } from '../../shared/table-definitions';

/** The stage `npm start` and the tests deploy unless told otherwise: stages/local.yml. */
export const LOCAL_STAGE = 'local';

const ROOT = path.join(__dirname, '..', '..');

/** Settings a local run may change without editing the stage file (a test's smaller limit, a quieter log). */
export interface LocalStageOverrides {
  routesCacheTtlSeconds?: number;
  maxEventBytes?: number;
  logLevel?: StageConfig['logLevel'];
}

/** A stage as the local cloud deploys it: the stage file, narrowed to the regions the cloud runs. */
export interface LocalStage {
  stage: string;
  config: StageConfig;
  names: ReturnType<typeof stageNames>;
  /** Physical table names, for tools and tests. */
  tables: {
    control: string;
    quarantine: string;
    coord: string;
    zone: (zone: string, logical: ZoneTableName) => string;
  };
  /** What serverless.yml sets for the function, plus the endpoint overrides only the local cloud needs. */
  environment(
    fn: FunctionName,
    endpoints: { dynamodb: string; eventBridge: string; lambda: string; sqs: string },
  ): Record<string, string>;
}

/**
 * Keeps the regions the cloud runs (e.g. `npm start -- --regions us-east-1,eu-west-1`), and each
 * zone's regions among them; a zone left with no region is dropped.
 */
const narrowToRegions = (config: StageConfig, regions: readonly string[]): StageConfig => {
  const zones = Object.entries(config.residencyZones)
    .map(([zone, list]) => [zone, list.filter((r) => regions.includes(r))] as const)
    .filter(([, list]) => list.length > 0);
  return {
    ...config,
    regions: [...regions],
    primaryRegion: regions.includes(config.primaryRegion) ? config.primaryRegion : (regions[0] ?? config.primaryRegion),
    residencyZones: Object.fromEntries(zones),
  };
};

/**
 * Reads a stage file (stages/local.yml unless `stageFile` names another) and applies the cloud's
 * regions and the run's overrides; resources are named after `stage`, so a test may deploy the
 * local settings under a stage name of its own.
 */
export const loadLocalStage = (
  stage: string,
  regions: readonly string[],
  overrides: LocalStageOverrides = {},
  stageFile = stage === LOCAL_STAGE
    ? LOCAL_STAGE
    : existsSync(path.join(ROOT, 'stages', `${stage}.yml`))
      ? stage
      : LOCAL_STAGE,
): LocalStage => {
  const file = readStageFile(ROOT, stageFile);
  const narrowed = narrowToRegions(file, regions);
  const config = validateStage(stage, {
    ...narrowed,
    limits: {
      ...narrowed.limits,
      ...(overrides.routesCacheTtlSeconds !== undefined
        ? { routesCacheTtlSeconds: overrides.routesCacheTtlSeconds }
        : {}),
      ...(overrides.maxEventBytes !== undefined ? { maxEventBytes: overrides.maxEventBytes } : {}),
    },
    ...(overrides.logLevel ? { logLevel: overrides.logLevel } : {}),
  });
  return {
    stage,
    config,
    names: stageNames(stage),
    tables: {
      control: stageTableName(stage, 'control'),
      quarantine: stageTableName(stage, 'quarantine'),
      coord: stageTableName(stage, 'coord'),
      zone: (zone, logical) => zoneTableName(stage, zone, logical),
    },
    environment: (_fn, endpoints) => ({
      ...functionEnvironment(stage, config),
      DYNAMODB_ENDPOINT: endpoints.dynamodb,
      EVENTBRIDGE_ENDPOINT: endpoints.eventBridge,
      // The local STS that verifies the operator CLI's caller proof (the Lambda API server answers it).
      STS_ENDPOINT: endpoints.lambda,
      // The local SQS endpoint serving the failure queues (admin lists and redrives them).
      SQS_ENDPOINT: endpoints.sqs,
      // Lambda runs nodejs22.x; the local runtime is Node 20, where the SDK warns on every cold start.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    }),
  };
};

/** The variables the local cloud adds to what serverless.yml sets: endpoint overrides, never set on AWS. */
export const LOCAL_ONLY_VARIABLES = [
  'DYNAMODB_ENDPOINT',
  'EVENTBRIDGE_ENDPOINT',
  'STS_ENDPOINT',
  'SQS_ENDPOINT',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
];
