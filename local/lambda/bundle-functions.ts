import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { build, version as esbuildVersion, type BuildOptions } from 'esbuild';
import { dirname, join, resolve } from 'node:path';

/** The options serverless-esbuild deploys with, so the local runtime runs the deployed code. */
const BUILD_OPTIONS = {
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  bundle: true,
  sourcemap: true,
  minify: false,
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** What a bundle was built from: a later call reuses it while every one of these still hashes the same. */
interface BundleManifest {
  key: string;
  /** Every input esbuild read (project sources and bundled dependencies), by absolute path. */
  inputs: Record<string, string>;
  /** Every file written (the bundle and its source map), by absolute path. */
  outputs: Record<string, string>;
}

/**
 * Bundles handler entries (`name` → `functions/<name>/handler.ts`) into `<outDir>/<name>/handler.js`
 * with the options serverless-esbuild deploys with, so the local runtime runs the deployed code.
 * Resolves with `name` → absolute bundle path. Each file is written whole and renamed into place:
 * test files running in parallel bundle into the same directory, and a function cold-starting in
 * one of them must read the old bundle or the new one, never a half-written file.
 *
 * A bundle is built again only when something it was built from changed: beside each bundle, a
 * manifest holds the content hash of every input esbuild read and of every file it wrote; while all
 * of them still match (same esbuild, same options), the bundle on disk is used as it is. Every local
 * cloud and test harness bundles the same five functions, so this spares each start the build.
 */
export const bundleFunctions = async (
  entries: Record<string, string>,
  outDir: string,
): Promise<Record<string, string>> => {
  const bundles = await Promise.all(
    Object.entries(entries).map(async ([name, entry]) => {
      const outfile = resolve(join(outDir, name, 'handler.js'));
      const manifestPath = `${outfile}.manifest.json`;
      const key = cacheKey(resolve(entry), outfile);
      if (await isFresh(manifestPath, key)) return [name, outfile] as const;
      const { outputFiles, metafile } = await build({
        ...BUILD_OPTIONS,
        entryPoints: [entry],
        outfile,
        write: false,
        metafile: true,
      });
      await Promise.all(outputFiles.map((file) => writeWhole(file.path, file.contents)));
      const manifest: BundleManifest = {
        key,
        inputs: Object.fromEntries(
          (
            await Promise.all(
              Object.keys(metafile.inputs).map(async (input) => [resolve(input), await hashOf(resolve(input))]),
            )
          ).filter((pair): pair is [string, string] => pair[1] !== undefined),
        ),
        outputs: Object.fromEntries(outputFiles.map((file) => [file.path, hash(file.contents)])),
      };
      await writeWhole(manifestPath, Buffer.from(JSON.stringify(manifest)));
      return [name, outfile] as const;
    }),
  );
  return Object.fromEntries(bundles);
};

const cacheKey = (entry: string, outfile: string): string =>
  hash(Buffer.from(JSON.stringify({ esbuildVersion, BUILD_OPTIONS, entry, outfile })));

const hash = (contents: Uint8Array): string => createHash('sha256').update(contents).digest('hex');

/** The content hash of a file, or undefined when it cannot be read (gone, or never there). */
const hashOf = async (path: string): Promise<string | undefined> => {
  try {
    return hash(await readFile(path));
  } catch {
    return undefined;
  }
};

/** Whether the manifest at `path` is for this build and every input and output still hashes as it recorded. */
const isFresh = async (path: string, key: string): Promise<boolean> => {
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as BundleManifest;
  } catch {
    return false;
  }
  if (manifest.key !== key) return false;
  const recorded = Object.entries({ ...manifest.inputs, ...manifest.outputs });
  if (recorded.length === 0) return false;
  const now = await Promise.all(recorded.map(async ([file, digest]) => (await hashOf(file)) === digest));
  return now.every(Boolean);
};

/** Writes a file under a unique temporary name, then renames it over the target (atomic on one file system). */
const writeWhole = async (path: string, contents: Uint8Array): Promise<void> => {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}-${randomUUID()}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
};

/** The entry map for every `functions/<name>/handler.ts` named, relative to a project root. */
export const functionEntries = (names: readonly string[], root = process.cwd()): Record<string, string> =>
  Object.fromEntries(names.map((name) => [name, join(root, 'functions', name, 'handler.ts')]));
