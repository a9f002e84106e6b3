/**
 * The residency compliance check (issue "Residency", item 8): proves from the stage file, the
 * routes catalog and the packaged templates that no zone's data can be stored in or delivered to a
 * region outside it. Prints a proof table per zone and region; exits 1 naming each violation.
 *   npm run compliance -- <stage> [--routes routes/<catalog>.yaml] [--packages <dir>]
 * The catalog defaults to routes/<stage>.yaml when it exists, else routes/sample.yaml. The
 * templates come from `npx tsx scripts/package-all.ts <stage>` (.build/packages/<stage>).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCatalogYaml } from '../shared/domain/catalog';
import { renderProof } from './lib/compliance/proof-report';
import { proveResidency } from './lib/compliance/residency-proof';
import { isPackageFresh } from './lib/package-inputs';
import { readStageTemplates } from './lib/packaged-templates';

const root = path.resolve(__dirname, '..');

/** The value after `--name`, if given. */
const option = (args: readonly string[], name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};

const defaultCatalog = (stage: string): string => {
  const own = path.join('routes', `${stage}.yaml`);
  return existsSync(path.join(root, own)) ? own : path.join('routes', 'sample.yaml');
};

const main = (): number => {
  const args = process.argv.slice(2);
  const stage = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'prod';
  const catalogFile = option(args, 'routes') ?? defaultCatalog(stage);
  const packages = option(args, 'packages');
  if (!packages && !isPackageFresh(root, stage))
    throw new Error(
      `The packaged templates of ${stage} are missing or older than the sources: run npx tsx scripts/package-all.ts ${stage} first.`,
    );
  const templates = readStageTemplates(root, stage, packages ? path.resolve(packages) : undefined);
  const proof = proveResidency({
    stage,
    config: templates.config,
    templates: templates.regions,
    catalogFile,
    catalogDocument: parseCatalogYaml(readFileSync(path.resolve(root, catalogFile), 'utf8')),
  });
  console.log(renderProof(proof));
  return proof.violations.length === 0 ? 0 : 1;
};

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
