import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';

/**
 * Bundles handler entries (`name` → `functions/<name>/handler.ts`) into `<outDir>/<name>/handler.js`
 * with the options serverless-esbuild deploys with, so the local runtime runs the deployed code.
 * Resolves with `name` → absolute bundle path. Each file is written whole and renamed into place:
 * test files running in parallel bundle into the same directory, and a function cold-starting in
 * one of them must read the old bundle or the new one, never a half-written file.
 */
export const bundleFunctions = async (
  entries: Record<string, string>,
  outDir: string,
): Promise<Record<string, string>> => {
  const bundles = await Promise.all(
    Object.entries(entries).map(async ([name, entry]) => {
      const outfile = resolve(join(outDir, name, 'handler.js'));
      const { outputFiles } = await build({
        entryPoints: [entry],
        outfile,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        bundle: true,
        sourcemap: true,
        minify: false,
        logLevel: 'silent',
        write: false,
      });
      await Promise.all(outputFiles.map((file) => writeWhole(file.path, file.contents)));
      return [name, outfile] as const;
    }),
  );
  return Object.fromEntries(bundles);
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
