import { build } from 'esbuild';
import { join, resolve } from 'node:path';

/**
 * Bundles handler entries (`name` → `functions/<name>/handler.ts`) into `<outDir>/<name>/handler.js`
 * with the options serverless-esbuild deploys with, so the local runtime runs the deployed code.
 * Resolves with `name` → absolute bundle path.
 */
export const bundleFunctions = async (
  entries: Record<string, string>,
  outDir: string,
): Promise<Record<string, string>> => {
  const bundles = await Promise.all(
    Object.entries(entries).map(async ([name, entry]) => {
      const outfile = resolve(join(outDir, name, 'handler.js'));
      await build({
        entryPoints: [entry],
        outfile,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        bundle: true,
        sourcemap: true,
        minify: false,
        logLevel: 'silent',
      });
      return [name, outfile] as const;
    }),
  );
  return Object.fromEntries(bundles);
};

/** The entry map for every `functions/<name>/handler.ts` named, relative to a project root. */
export const functionEntries = (names: readonly string[], root = process.cwd()): Record<string, string> =>
  Object.fromEntries(names.map((name) => [name, join(root, 'functions', name, 'handler.ts')]));
