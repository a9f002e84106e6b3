import type { Command } from 'commander';
import { commaList, isoTime, positiveInt } from '../arguments';
import { renderValue } from '../format';
import { act, type CliIo } from '../session';

interface Published {
  version: number;
  published: 'published' | 'unchanged';
  activated?: boolean;
  previous?: number | null;
}

const CATALOG_FILE_HINT = 'name a routes catalog YAML file, e.g. routes/sample.yaml.';

const describePublish = (r: Published): string =>
  [
    r.published === 'unchanged'
      ? `Routes catalog version ${r.version} was already published with this content.`
      : `Published routes catalog version ${r.version}.`,
    r.activated
      ? `Activated version ${r.version} (was ${r.previous ?? 'none'}).`
      : `To make it the active version: routes activate ${r.version}`,
  ].join('\n');

const describeShow = (r: { version: number | null; document: unknown }, asked?: number): string => {
  if (r.version === null)
    return 'No routes catalog is active. Publish one: npx switchyard routes publish FILE --activate';
  if (r.document === null) return `Routes catalog version ${r.version} is not published.`;
  const heading = `# routes catalog version ${r.version}${asked === undefined ? ' (active)' : ''}`;
  return `${heading}\n${renderValue(r.document)}`;
};

/** `routes publish|activate|show|diff|what-if`: the versioned routes catalog. */
export const registerRoutes = (program: Command, io: CliIo): void => {
  const routes = program.command('routes').description('Publish, activate, show and compare routes catalog versions.');

  routes
    .command('publish')
    .description('Publish a routes catalog version from a YAML file, validated against the stage.')
    .argument('<file>', 'routes catalog YAML (see README "Routes catalog")')
    .option('--activate', 'also make it the active version')
    .action(
      act(io, async (s, [file], opts) => {
        const yaml = s.readFile(String(file), CATALOG_FILE_HINT);
        const result = await s.call<Published>('routes.publish', { yaml, activate: opts.activate === true });
        s.print(result, describePublish);
      }),
    );

  routes
    .command('activate')
    .description('Make a published version the active one (also the rollback).')
    .argument('<version>', 'a published version', positiveInt)
    .action(
      act(io, async (s, [version]) => {
        const result = await s.call<{ version: number; previous: number | null }>('routes.activate', { version });
        s.print(result, (r) => `Activated routes catalog version ${r.version} (was ${r.previous ?? 'none'}).`);
      }),
    );

  routes
    .command('show')
    .description('Show a catalog version as published (default: the active one).')
    .argument('[version]', 'a published version', positiveInt)
    .action(
      act(io, async (s, [version]) => {
        const result = await s.call<{ version: number | null; document: unknown }>('routes.show', { version });
        s.print(result, (r) => describeShow(r, version as number | undefined));
      }),
    );

  routes
    .command('diff')
    .description('Compare two published versions: routes, targets and sources added, removed or changed.')
    .argument('<from>', 'the older version', positiveInt)
    .argument('<to>', 'the newer version', positiveInt)
    .action(
      act(io, async (s, [from, to]) => {
        s.print(await s.call('routes.diff', { from, to }), renderValue);
      }),
    );

  routes
    .command('what-if')
    .description('Plan stored events under a candidate catalog and show what would change, without publishing it.')
    .argument('<file>', 'candidate routes catalog YAML')
    .option('--from <time>', 'events received from (ISO 8601)', isoTime)
    .option('--to <time>', 'events received until (ISO 8601)', isoTime)
    .option('--regions <list>', 'only these regions, comma-separated', commaList)
    .option('--limit <n>', 'at most this many events', positiveInt)
    .action(
      act(io, async (s, [file], opts) => {
        const yaml = s.readFile(String(file), CATALOG_FILE_HINT);
        const { from, to, regions, limit } = opts;
        s.print(await s.call('routes.what-if', { yaml, from, to, regions, limit }), renderValue);
      }),
    );
};
