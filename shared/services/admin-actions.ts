import { z } from 'zod';
import type { ControlTable } from '../adapters/control-table';
import {
  compileCatalog,
  parseCatalogYaml,
  CatalogValidationError,
  CatalogVersionConflictError,
  CatalogVersionNotFoundError,
} from '../domain/catalog';

const actor = z.string().min(1).max(256);

/** The admin requests Switchyard accepts (direct invoke by an operator role only). */
export const adminRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('routes.publish'),
    actor,
    yaml: z.string().optional(),
    document: z.unknown().optional(),
    activate: z.boolean().default(false),
  }),
  z.strictObject({ action: z.literal('routes.activate'), actor, version: z.number().int().positive() }),
  z.strictObject({
    action: z.literal('routes.show'),
    actor: actor.optional(),
    version: z.number().int().positive().optional(),
  }),
]);

export type AdminRequest = z.infer<typeof adminRequestSchema>;

export type AdminResponse =
  | { ok: true; result: Record<string, unknown> }
  | { ok: false; error: { code: string; message: string; issues?: unknown } };

export interface AdminDeps {
  control: ControlTable;
  now: () => Date;
}

/** Runs one admin request; mistakes come back as `{ ok: false, error }` with what to fix, never as a stack trace. */
export const runAdminAction = async (raw: unknown, deps: AdminDeps): Promise<AdminResponse> => {
  const parsed = adminRequestSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'InvalidRequest', message: `admin request is not valid: ${z.prettifyError(parsed.error)}` },
    };
  }
  try {
    return { ok: true, result: await dispatch(parsed.data, deps) };
  } catch (error) {
    if (error instanceof CatalogValidationError)
      return { ok: false, error: { code: error.code, message: error.message, issues: error.issues } };
    if (error instanceof CatalogVersionConflictError || error instanceof CatalogVersionNotFoundError) {
      return { ok: false, error: { code: error.code, message: error.message } };
    }
    throw error;
  }
};

const dispatch = async (request: AdminRequest, deps: AdminDeps): Promise<Record<string, unknown>> => {
  const now = deps.now().toISOString();
  switch (request.action) {
    case 'routes.publish': {
      const document = request.yaml !== undefined ? parseCatalogYaml(request.yaml) : request.document;
      const catalog = compileCatalog(document);
      const published = await deps.control.putCatalogVersion(catalog.version, document, request.actor, now);
      const activated = request.activate
        ? await deps.control.activateVersion(catalog.version, request.actor, now)
        : undefined;
      return {
        version: catalog.version,
        published,
        ...(activated ? { activated: true, previous: activated.previous ?? null } : {}),
      };
    }
    case 'routes.activate': {
      const { previous } = await deps.control.activateVersion(request.version, request.actor, now);
      return { version: request.version, previous: previous ?? null };
    }
    case 'routes.show': {
      const version = request.version ?? (await deps.control.getActiveVersion());
      if (version === undefined) return { version: null, document: null };
      return { version, document: (await deps.control.getCatalogDocument(version)) ?? null };
    }
  }
};
