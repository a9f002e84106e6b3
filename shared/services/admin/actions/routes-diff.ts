import { z } from 'zod';
import {
  CatalogValidationError,
  compileCatalog,
  parseCatalogYaml,
  type Catalog,
  type CatalogDocument,
} from '../../../domain/catalog';
import { diffCatalogs, type CatalogDiff } from '../../../domain/what-if/diff-catalogs';
import { AdminRequestError, type AdminDeps } from '../admin-deps';
import { defineAction } from '../registry';

const version = z.number().int().positive();

/** A published catalog version's document; a typed error when it was never published. */
export const publishedDocument = async (deps: AdminDeps, v: number): Promise<CatalogDocument> => {
  const document = await deps.control.getCatalogDocument(v, { consistent: true });
  if (document === undefined)
    throw new AdminRequestError('CatalogVersionNotFound', `Routes catalog version ${v} has not been published.`);
  return document as CatalogDocument;
};

/** Parses and compiles a candidate catalog under the stage's ceiling; its mistakes become a typed error with every path. */
export const compileCandidate = (
  yaml: string | undefined,
  document: unknown,
  deps: AdminDeps,
): { catalog: Catalog; document: CatalogDocument } => {
  try {
    const parsed = yaml !== undefined ? parseCatalogYaml(yaml) : document;
    return { catalog: compileCatalog(parsed, deps.compileOptions), document: parsed as CatalogDocument };
  } catch (error) {
    if (error instanceof CatalogValidationError) throw new AdminRequestError(error.code, error.message, error.issues);
    throw error;
  }
};

export const routesDiff = defineAction({
  name: 'routes.diff',
  description: 'Shows what changed between two published catalog versions: routes, targets, zones, sources, tenants.',
  mutates: false,
  request: z.strictObject({ from: version, to: version }),
  async run(request, deps): Promise<CatalogDiff> {
    return diffCatalogs(await publishedDocument(deps, request.from), await publishedDocument(deps, request.to));
  },
});
