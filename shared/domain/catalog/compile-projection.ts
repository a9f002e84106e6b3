import type { CatalogDocument, RouteDocument } from './catalog-schema';
import type { CatalogIssue } from './catalog-errors';
import type { Projection } from './catalog';
import { compileDetailPaths } from './catalog-paths';

/** Compiles a route's `fields` or `redact` into its projection; undefined when it declares neither. */
export const compileProjection = (
  route: RouteDocument,
  path: string,
  issues: CatalogIssue[],
): Projection | undefined => {
  if (route.fields && route.redact) {
    issues.push({ path: `${path}.redact`, message: 'a route takes fields or redact, not both' });
    return undefined;
  }
  if (route.fields) return { kind: 'fields', paths: compileDetailPaths(route.fields, `${path}.fields`, issues) };
  if (route.redact) return { kind: 'redact', paths: compileDetailPaths(route.redact, `${path}.redact`, issues) };
  return undefined;
};

interface Declared {
  route: string;
  at: string;
  name: string;
  text: string;
  key: string;
}

// Order does not change what a target receives, so `[detail.a, detail.b]` and `[detail.b, detail.a]` agree.
const declaredProjection = (route: RouteDocument, index: number): Declared => {
  const kind = route.fields ? 'fields' : route.redact ? 'redact' : undefined;
  const paths = route.fields ?? route.redact ?? [];
  return {
    route: `routes[${index}]`,
    at: kind ? `routes[${index}].${kind}` : `routes[${index}]`,
    name: route.name,
    text: kind ? `${kind} [${paths.join(', ')}]` : 'the whole detail',
    key: kind ? `${kind}:${JSON.stringify([...new Set(paths)].sort())}` : '',
  };
};

/**
 * Deliveries of one event to one target are merged across routes, so a target would get whichever route's
 * projection happened to win: every route naming a target must declare the same one, or none.
 */
export const checkProjectionPerTarget = (doc: CatalogDocument, issues: CatalogIssue[]): void => {
  const first = new Map<string, Declared>();
  doc.routes.forEach((route, i) => {
    const declared = declaredProjection(route, i);
    for (const target of new Set(route.targets)) {
      const earlier = first.get(target);
      if (!earlier) first.set(target, declared);
      else if (earlier.key !== declared.key)
        issues.push({
          path: declared.at,
          message:
            `${declared.route} (${declared.name}) gives target ${target} ${declared.text}, but ${earlier.route} ` +
            `(${earlier.name}) gives it ${earlier.text}; routes to one target must declare the same fields or redact`,
        });
    }
  });
};
