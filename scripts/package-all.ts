/**
 * Packages stages for every region, offline, into .build/packages/<stage>/<region>/{app,keys}.
 *   npx tsx scripts/package-all.ts [stage...=prod] [--force]      (npm run package:all: every sample stage)
 * A region whose stack does not own a zone's inbox gets an offline placeholder for that stream
 * (`--param="inboxStreams=<zone>=<arn>;..."`, docs/decisions/015).
 * Skips the work when the packages were built from the current inputs (see manifest.json).
 * Every `serverless package` runs one after another: each one stages its files in `.serverless/`
 * of the service directory (and serverless-esbuild in `.esbuild/`), so two at once race
 * (`ENOTEMPTY ... rmdir .serverless`). A lock shared by every stage keeps it that way across processes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  hashPackageInputs,
  isPackageFresh,
  packagesDir,
  readStageFile,
  withPackageLock,
  type PackageManifest,
} from './lib/package-inputs';
import { offlineInboxStreams } from '../stages/lib/inbox-streams';

const root = path.resolve(__dirname, '..');
const serverlessBin = path.join(root, 'node_modules', 'osls', 'bin', 'serverless.js');

/** Packaging must never reach AWS: no telemetry, no credential lookups against instance metadata. */
const OFFLINE_ENV = {
  ...process.env,
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  AWS_EC2_METADATA_DISABLED: 'true',
};

const runServerless = (args: string[], label: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverlessBin, 'package', ...args], {
      cwd: root,
      env: OFFLINE_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        console.log(`  packaged ${label}`);
        resolve();
      } else reject(new Error(`serverless package failed for ${label} (exit ${code}):\n${output}`));
    });
  });

const packageStage = async (stage: string): Promise<PackageManifest> => {
  const started = Date.now();
  const config = readStageFile(root, stage);
  const out = packagesDir(root, stage);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const appArgs = (region: string): string[] => {
    const args = ['--stage', stage, '--region', region, '--package', path.join(out, region, 'app')];
    const streams = offlineInboxStreams(stage, config, region);
    return streams ? [...args, `--param=inboxStreams=${streams}`] : args;
  };
  for (const region of config.regions) {
    await runServerless(appArgs(region), `${stage} ${region} app`);
    const keysArgs = ['-c', 'serverless.keys.yml', '--stage', stage, '--region', region];
    await runServerless([...keysArgs, '--package', path.join(out, region, 'keys')], `${stage} ${region} keys`);
  }
  const manifest: PackageManifest = {
    stage,
    regions: config.regions,
    primaryRegion: config.primaryRegion,
    inputsHash: hashPackageInputs(root),
    packagedAt: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
};

const packageIfStale = async (stage: string, force: boolean): Promise<void> => {
  if (!force && isPackageFresh(root, stage)) {
    console.log(
      `${stage}: packages in ${path.relative(root, packagesDir(root, stage))} are up to date (use --force to rebuild).`,
    );
    return;
  }
  console.log(`${stage}: packaging every region offline into ${path.relative(root, packagesDir(root, stage))}`);
  const manifest = await packageStage(stage);
  console.log(`${stage}: ${manifest.regions.join(', ')} packaged in ${manifest.seconds} s`);
};

const main = async (): Promise<void> => {
  const args = process.argv.slice(2);
  const stages = args.filter((arg) => !arg.startsWith('--'));
  const force = args.includes('--force');
  await withPackageLock(root, async () => {
    for (const stage of stages.length > 0 ? stages : ['prod']) await packageIfStale(stage, force);
  });
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
