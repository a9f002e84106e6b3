import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const parse = (file: string): ts.SourceFile =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);

const listTs = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return listTs(full);
    return full.endsWith('.ts') && !full.endsWith('.d.ts') ? [full] : [];
  });

/** The string literals a union type alias lists, e.g. `type CountMetric = 'Ingested' | 'Routed'`. */
export const unionMembers = (file: string, alias: string): string[] => {
  const names: string[] = [];
  parse(file).forEachChild((node) => {
    if (!ts.isTypeAliasDeclaration(node) || node.name.text !== alias) return;
    const types = ts.isUnionTypeNode(node.type) ? node.type.types : [node.type];
    for (const type of types)
      if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) names.push(type.literal.text);
  });
  if (names.length === 0) throw new Error(`${file} has no string union type ${alias}`);
  return names;
};

/**
 * Metric names passed as string literals to `metrics.count(` / `metrics.timing(` (any receiver
 * ending in `metrics`, e.g. `deps.metrics.count`) under the given directories, including both
 * branches of a conditional argument.
 */
export const emittedMetricNames = (dirs: readonly string[]): Map<string, 'count' | 'timing'> => {
  const found = new Map<string, 'count' | 'timing'>();
  for (const file of dirs.flatMap(listTs)) {
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ['count', 'timing'].includes(node.expression.name.text) &&
        /metrics$/i.test(node.expression.expression.getText())
      ) {
        const kind = node.expression.name.text as 'count' | 'timing';
        const collect = (arg: ts.Node): void => {
          if (ts.isStringLiteral(arg)) found.set(arg.text, kind);
          arg.forEachChild(collect);
        };
        if (node.arguments[0]) collect(node.arguments[0]);
      }
      node.forEachChild(visit);
    };
    visit(parse(file));
  }
  return found;
};
