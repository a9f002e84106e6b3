import { fileURLToPath } from 'node:url';
import {
  CatalogValidationError,
  compileCatalog,
  type CatalogDocument,
  type CatalogIssue,
  type CompileOptions,
  type StageCeiling,
} from '../../../shared/domain/catalog';
import { readStageFile } from '../../../stages/lib/stage-file';
import { sampleCatalogDocument } from '../../helpers/factories';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Compiles a variant of the sample catalog and returns the issues it was rejected with. */
export const issuesOf = (change: (doc: CatalogDocument) => void, options?: CompileOptions): CatalogIssue[] => {
  const doc = sampleCatalogDocument();
  change(doc);
  try {
    compileCatalog(doc, options);
  } catch (error) {
    if (error instanceof CatalogValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the catalog to be rejected');
};

/** Compiles a variant of the sample catalog that is expected to be accepted. */
export const compileVariant = (change: (doc: CatalogDocument) => void, options?: CompileOptions) => {
  const doc = sampleCatalogDocument();
  change(doc);
  return compileCatalog(doc, options);
};

/** A route of a catalog document, by index. */
export const route = (doc: CatalogDocument, index: number) => {
  const found = doc.routes[index];
  if (!found) throw new Error(`catalog has no route ${index}`);
  return found;
};

/** A tenant of a catalog document, by name. */
export const tenant = (doc: CatalogDocument, name: string) => {
  const found = doc.tenants[name];
  if (!found) throw new Error(`catalog has no tenant ${name}`);
  return found;
};

/** The first source a tenant declares. */
export const firstSource = (doc: CatalogDocument, name: string) => {
  const found = tenant(doc, name).sources[0];
  if (!found) throw new Error(`tenant ${name} declares no source`);
  return found;
};

/** The sample's publishers, each source bound to the tenant that declares it. */
export const SAMPLE_BINDINGS: Record<string, readonly string[]> = {
  orders: ['com.switchyard.orders'],
  payments: ['com.switchyard.payments'],
  'eu-customers': ['com.switchyard.eu.customers'],
};

/** The ceiling of stages/local.yml, read from the file so the tests follow it: its zones and retention. */
export const localStage = (overrides: Partial<StageCeiling> = {}): StageCeiling => {
  const file = readStageFile(REPO_ROOT, 'local');
  return {
    name: 'local',
    zones: file.residencyZones,
    retention: { defaultDays: file.retentionDays },
    bindings: SAMPLE_BINDINGS,
    ...overrides,
  };
};
