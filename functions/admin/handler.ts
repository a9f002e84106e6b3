import { createControlTable } from '../../shared/adapters/control-table';
import { createDocumentClient } from '../../shared/clients';
import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { logger } from '../../shared/observability';
import { runAdminAction, type AdminDeps, type AdminResponse } from '../../shared/services/admin-actions';

/** The admin function: routes catalog publish/activate/show, invoked directly by an operator role; every change is audited. */
export const createHandler =
  (deps: AdminDeps) =>
  async (event: unknown): Promise<AdminResponse> => {
    const response = await runAdminAction(event, deps);
    const action = typeof event === 'object' && event !== null ? (event as { action?: unknown }).action : undefined;
    if (response.ok) logger.info('admin action done', { action });
    else logger.warn('admin action refused', { action, code: response.error.code });
    return response;
  };

const defaultDeps = (): AdminDeps => {
  const config = readConfig(process.env);
  return {
    control: createControlTable({ client: createDocumentClient(config), tableName: config.tables.control }),
    now: () => new Date(),
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
