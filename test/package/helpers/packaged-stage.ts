import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isPackageFresh, packagesDir, readStageFile, type StageFile } from '../../../scripts/lib/package-inputs';
import { readZipEntries, type ZipEntry } from './zip-entries';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

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

/** One region's packaged stacks and function bundles. */
export interface PackagedRegion {
  region: string;
  isPrimary: boolean;
  app: Template;
  keys: Template;
  bundles: Record<string, { zipBytes: number; entries: ZipEntry[] }>;
}

export interface PackagedStage {
  stage: string;
  config: StageFile;
  regions: PackagedRegion[];
}

/**
 * Packages the stage when its packages are missing or older than the sources (a fresh clone, or
 * an edit since `npm run package:all`), then loads every region's templates and bundles.
 */
export const loadPackagedStage = (stage: string): PackagedStage => {
  if (!isPackageFresh(ROOT, stage)) {
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'package-all.ts'), stage],
      { cwd: ROOT, stdio: 'inherit' },
    );
  }
  const config = readStageFile(ROOT, stage);
  const dir = packagesDir(ROOT, stage);
  const readJson = (file: string): Template => JSON.parse(readFileSync(file, 'utf8')) as Template;
  return {
    stage,
    config,
    regions: config.regions.map((region) => {
      const appDir = path.join(dir, region, 'app');
      const zips = readdirSync(appDir).filter((file) => file.endsWith('.zip'));
      return {
        region,
        isPrimary: region === config.primaryRegion,
        app: readJson(path.join(appDir, 'cloudformation-template-update-stack.json')),
        keys: readJson(path.join(dir, region, 'keys', 'cloudformation-template-update-stack.json')),
        bundles: Object.fromEntries(
          zips.map((zip) => [
            zip.replace(/\.zip$/, ''),
            { zipBytes: statSync(path.join(appDir, zip)).size, entries: readZipEntries(path.join(appDir, zip)) },
          ]),
        ),
      };
    }),
  };
};

/** Resources of one CloudFormation type, by logical id. */
export const resourcesOfType = (template: Template, type: string): Array<[string, Template['Resources'][string]]> =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
