import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { readStageFile as readValidatedStageFile, type StageConfig } from '../../stages/lib/stage-file';

/** Where `package-all` writes each stage: `<root>/.build/packages/<stage>/<region>/{app,keys}`. */
export const packagesDir = (root: string, stage: string): string => path.join(root, '.build', 'packages', stage);

/** A validated stage file (stages/lib/stage-file.ts). */
export type StageFile = StageConfig;

/** Reads and validates stages/<stage>.yml; the message names the bad field. */
export const readStageFile = (root: string, stage: string): StageFile => readValidatedStageFile(root, stage);

/** Everything whose change can change a packaged template or bundle. */
const INPUTS = [
  'serverless.yml',
  'serverless.keys.yml',
  'serverless',
  'stages',
  'functions',
  'shared',
  'package-lock.json',
  'scripts/package-all.ts',
  // Not the rest of scripts/lib: the compliance check and the shell helpers read packages, they do not shape them.
  'scripts/lib/package-inputs.ts',
];

const listFiles = (root: string, entry: string): string[] => {
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full)
    .sort()
    .flatMap((child) => listFiles(root, path.join(entry, child)));
};

/** A hash of every packaging input; the manifest records it so stale packages are rebuilt. */
export const hashPackageInputs = (root: string): string => {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((entry) => listFiles(root, entry))) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
};

/** The manifest package-all writes last, so its presence means a complete package. */
export interface PackageManifest {
  stage: string;
  regions: string[];
  primaryRegion: string;
  inputsHash: string;
  packagedAt: string;
  seconds: number;
}

export const readManifest = (root: string, stage: string): PackageManifest | undefined => {
  const file = path.join(packagesDir(root, stage), 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageManifest) : undefined;
};

/** True when the stage's packages exist and were built from the current inputs. */
export const isPackageFresh = (root: string, stage: string): boolean =>
  readManifest(root, stage)?.inputsHash === hashPackageInputs(root);

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Runs `fn` holding a directory lock, so two test workers (or a test and `npm run package:all`)
 * never package at once: every stage shares the service directory's `.serverless/`, so the lock
 * is one for the whole repository, not one per stage. A lock older than ten minutes is stale.
 */
export const withPackageLock = async <T>(root: string, fn: () => Promise<T>): Promise<T> => {
  const lock = path.join(root, '.build', 'packages.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      else if (waited > 600_000)
        throw new Error(`${lock} has been held for ten minutes; remove it if no packaging is running.`);
      else sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
};
