import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const SKIP = new Set(['node_modules', '.git', '.build', '.local', '.serverless', '.esbuild', 'coverage']);
const TOP_LEVEL = 'functions|shared|local|test|docs|scripts|stages|routes|events|bench|serverless|bin';

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });

const files = walk(ROOT);
const markdown = files.filter((f) => f.endsWith('.md'));
const sources = files.filter((f) => /\.(ts|mts|cjs|ya?ml|sh|md)$/.test(f));

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (file: string): Set<string> =>
  new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => slug(line.replace(/^#+ /, ''))),
  );

/** Problems with one reference from `file`: the target file is missing, or its anchor is. */
const check = (file: string, target: string, base: string): string[] => {
  const [pathPart = '', anchor] = target.split('#');
  const resolved = pathPart === '' ? file : path.resolve(base, pathPart);
  const where = `${path.relative(ROOT, file)} → ${target}`;
  if (!existsSync(resolved)) return [`${where}: no such file`];
  if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor))
    return [`${where}: no heading #${anchor}`];
  return [];
};

describe('documentation links', () => {
  it('every relative markdown link points to a file (and heading) that exists', () => {
    const problems = markdown.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1] ?? '')
        .filter((target) => !/^[a-z]+:/.test(target))
        .flatMap((target) => check(file, target, path.dirname(file))),
    );
    expect(problems).toEqual([]);
  });

  it('every repository path quoted in the docs exists', () => {
    const quoted = new RegExp(`\`((?:${TOP_LEVEL})/[^\`\\s<>*{}|]+?)[.,:]?\``, 'g');
    const problems = markdown.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(quoted)].flatMap((m) => {
        const target = (m[1] ?? '').replace(/:\d+$/, '');
        const fromRoot = path.join(ROOT, target);
        return existsSync(fromRoot) ? [] : check(file, target, path.dirname(file));
      }),
    );
    expect(problems).toEqual([]);
  });

  it('every docs/*.md named in code and configuration exists', () => {
    const problems = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bdocs\/[\w./-]+?\.md(#[\w-]+)?/g)].flatMap((m) =>
        check(file, m[0], ROOT),
      ),
    );
    expect(problems).toEqual([]);
  });
});
