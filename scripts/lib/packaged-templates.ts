/**
 * Reads the CloudFormation templates `scripts/package-all.ts` wrote for a stage:
 * `.build/packages/<stage>/<region>/{app,keys}/cloudformation-template-update-stack.json`.
 * Shared by the compliance check and the packaging tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packagesDir, readStageFile, type StageFile } from './package-inputs';

/** A CloudFormation template as serverless writes it. */
export interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<
    string,
    {
      Type: string;
      Condition?: string;
      DeletionPolicy?: string;
      DependsOn?: unknown;
      Properties?: Record<string, unknown>;
    }
  >;
  Outputs?: Record<string, unknown>;
}

/** One region's packaged app and keys stacks. */
export interface RegionTemplates {
  region: string;
  isPrimary: boolean;
  app: Template;
  keys: Template;
}

export interface StageTemplates {
  stage: string;
  config: StageFile;
  regions: RegionTemplates[];
}

const TEMPLATE = 'cloudformation-template-update-stack.json';

const readTemplate = (file: string, stage: string): Template => {
  if (!existsSync(file))
    throw new Error(`${file} is missing: package the stage first (npx tsx scripts/package-all.ts ${stage}).`);
  return JSON.parse(readFileSync(file, 'utf8')) as Template;
};

/** Every region's templates of a stage, from `dir` (default: where package-all writes them). */
export const readStageTemplates = (root: string, stage: string, dir = packagesDir(root, stage)): StageTemplates => {
  const config = readStageFile(root, stage);
  return {
    stage,
    config,
    regions: config.regions.map((region) => ({
      region,
      isPrimary: region === config.primaryRegion,
      app: readTemplate(path.join(dir, region, 'app', TEMPLATE), stage),
      keys: readTemplate(path.join(dir, region, 'keys', TEMPLATE), stage),
    })),
  };
};

/** Resources of one CloudFormation type, by logical id. */
export const resourcesOfType = (template: Template, type: string): Array<[string, Template['Resources'][string]]> =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
