import { canonicalJson } from '../canonical-json';
import type { CatalogDocument } from '../catalog';

/** What changed in one section of a catalog, by name. */
export interface SectionDiff {
  added: string[];
  removed: string[];
  /** Names present in both whose definition differs, with the fields that differ. */
  changed: { name: string; fields: string[] }[];
}

/** What changed between two catalog versions. */
export interface CatalogDiff {
  from: number;
  to: number;
  routes: SectionDiff;
  targets: SectionDiff;
  zones: SectionDiff;
  sources: SectionDiff;
  tenants: SectionDiff;
  unchanged: boolean;
}

const fieldsThatDiffer = (a: unknown, b: unknown): string[] => {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a))
    return canonicalJson(a) === canonicalJson(b) ? [] : ['value'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter(
    (k) => canonicalJson((a as Record<string, unknown>)[k]) !== canonicalJson((b as Record<string, unknown>)[k]),
  );
};

/** Compares two sections given as name → definition. */
export const diffSection = (from: Record<string, unknown>, to: Record<string, unknown>): SectionDiff => {
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  const diff: SectionDiff = { added: [], removed: [], changed: [] };
  for (const name of names) {
    if (!(name in from)) diff.added.push(name);
    else if (!(name in to)) diff.removed.push(name);
    else {
      const fields = fieldsThatDiffer(from[name], to[name]);
      if (fields.length > 0) diff.changed.push({ name, fields });
    }
  }
  return diff;
};

const sourcesOf = (doc: CatalogDocument): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(doc.tenants).flatMap(([tenant, t]) => t.sources.map((s) => [s.source, { tenant, ...s }])),
  );

const tenantsOf = (doc: CatalogDocument): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(doc.tenants).map(([name, t]) => [name, { retentionDays: t.retentionDays ?? null }]),
  );

const isEmpty = (d: SectionDiff): boolean => d.added.length + d.removed.length + d.changed.length === 0;

/** Routes, targets, zones, sources and tenants added, removed or changed from one catalog document to another. */
export const diffCatalogs = (from: CatalogDocument, to: CatalogDocument): CatalogDiff => {
  const sections = {
    routes: diffSection(
      Object.fromEntries(from.routes.map((r) => [r.name, r])),
      Object.fromEntries(to.routes.map((r) => [r.name, r])),
    ),
    targets: diffSection(from.targets, to.targets),
    zones: diffSection(from.zones, to.zones),
    sources: diffSection(sourcesOf(from), sourcesOf(to)),
    tenants: diffSection(tenantsOf(from), tenantsOf(to)),
  };
  return { from: from.version, to: to.version, ...sections, unchanged: Object.values(sections).every(isEmpty) };
};
