import { z } from 'zod';
import {
  compileCatalog,
  parseCatalogYaml,
  CatalogValidationError,
  CatalogVersionConflictError,
} from '../../../domain/catalog';
import { ROUTES_REGISTER } from '../../health/health-deps';
import { AdminRequestError, type AdminDeps } from '../admin-deps';
import { defineAction } from '../registry';
import { readRegisterOrFail, writeRegisterOrFail } from './quorum-registers';

const version = z.number().int().positive();

/** Compiles a catalog under the stage's ceiling; its mistakes become a typed error with every path. */
const compileForStage = (document: unknown, deps: AdminDeps) => {
  try {
    return compileCatalog(document, deps.compileOptions);
  } catch (error) {
    if (error instanceof CatalogValidationError) throw new AdminRequestError(error.code, error.message, error.issues);
    throw error;
  }
};

const activeVersion = async (deps: AdminDeps): Promise<{ counter: number; version: number | undefined }> => {
  const register = await readRegisterOrFail(deps.quorum, ROUTES_REGISTER);
  return { counter: register?.version ?? 0, version: typeof register?.value === 'number' ? register.value : undefined };
};

const activate = async (target: number, deps: AdminDeps): Promise<{ previous: number | null }> => {
  const document = await deps.control.getCatalogDocument(target, { consistent: true });
  if (document === undefined) {
    throw new AdminRequestError(
      'CatalogVersionNotFound',
      `Routes catalog version ${target} has not been published; publish it (routes.publish) first.`,
    );
  }
  compileForStage(document, deps);
  const current = await activeVersion(deps);
  await writeRegisterOrFail(deps.quorum, ROUTES_REGISTER, current.counter + 1, target);
  return { previous: current.version ?? null };
};

export const routesPublish = defineAction({
  name: 'routes.publish',
  description:
    'Publishes a routes catalog version (YAML or JSON document), validated against the stage; optionally activates it.',
  mutates: true,
  request: z
    .strictObject({
      yaml: z.string().max(400_000).optional(),
      document: z.unknown().optional(),
      activate: z.boolean().default(false),
    })
    .refine((r) => (r.yaml === undefined) !== (r.document === undefined), 'give exactly one of yaml or document'),
  async run(request, deps, caller) {
    let document: unknown;
    try {
      document = request.yaml !== undefined ? parseCatalogYaml(request.yaml) : request.document;
    } catch (error) {
      if (error instanceof CatalogValidationError) throw new AdminRequestError(error.code, error.message, error.issues);
      throw error;
    }
    const catalog = compileForStage(document, deps);
    let published;
    try {
      published = await deps.control.putCatalogVersion(catalog.version, document, caller, deps.now().toISOString());
    } catch (error) {
      if (error instanceof CatalogVersionConflictError) throw new AdminRequestError(error.code, error.message);
      throw error;
    }
    if (!request.activate) return { version: catalog.version, published };
    const { previous } = await activate(catalog.version, deps);
    return { version: catalog.version, published, activated: true, previous };
  },
});

export const routesActivate = defineAction({
  name: 'routes.activate',
  description: 'Makes a published version the active one (also the rollback); written to a majority of regions.',
  mutates: true,
  request: z.strictObject({ version }),
  async run(request, deps) {
    return { version: request.version, ...(await activate(request.version, deps)) };
  },
});

export const routesShow = defineAction({
  name: 'routes.show',
  description: 'Shows a catalog version as published (default: the active one).',
  mutates: false,
  request: z.strictObject({ version: version.optional() }),
  async run(request, deps) {
    const target = request.version ?? (await activeVersion(deps)).version;
    if (target === undefined) return { version: null, document: null };
    return { version: target, document: (await deps.control.getCatalogDocument(target, { consistent: true })) ?? null };
  },
});
