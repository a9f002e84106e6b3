import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isPackageFresh, packagesDir } from '../../../scripts/lib/package-inputs';
import { readStageTemplates, type RegionTemplates, type StageTemplates } from '../../../scripts/lib/packaged-templates';
import { readZipEntries, type ZipEntry } from './zip-entries';

export { resourcesOfType, type Template } from '../../../scripts/lib/packaged-templates';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** One region's packaged stacks and function bundles. */
export interface PackagedRegion extends RegionTemplates {
  bundles: Record<string, { zipBytes: number; entries: ZipEntry[] }>;
}

export interface PackagedStage extends StageTemplates {
  regions: PackagedRegion[];
}

/** Packages the stage when its packages are missing or older than the sources (a fresh clone, or an edit since `npm run package:all`). */
export const ensurePackaged = (stage: string): void => {
  if (isPackageFresh(ROOT, stage)) return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'package-all.ts'), stage],
    { cwd: ROOT, stdio: 'inherit' },
  );
};

/** Packages the stage if needed, then loads every region's templates and bundles. */
export const loadPackagedStage = (stage: string): PackagedStage => {
  ensurePackaged(stage);
  const templates = readStageTemplates(ROOT, stage);
  const dir = packagesDir(ROOT, stage);
  return {
    ...templates,
    regions: templates.regions.map((region) => {
      const appDir = path.join(dir, region.region, 'app');
      const zips = readdirSync(appDir).filter((file) => file.endsWith('.zip'));
      return {
        ...region,
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
