import type { AdminAction } from '../registry';
import { auditList } from './audit';
import { erase } from './erase';
import { regionDrain, regionFence, regionsStatus, regionUnfence } from './regions';
import { routesActivate, routesPublish, routesShow } from './routes';

/** Every admin action by name: the admin function dispatches from this table and nothing else. */
export const ADMIN_ACTIONS: ReadonlyMap<string, AdminAction> = new Map(
  (
    [
      routesPublish,
      routesActivate,
      routesShow,
      regionsStatus,
      regionFence,
      regionDrain,
      regionUnfence,
      erase,
      auditList,
    ] as AdminAction[]
  ).map((action) => [action.name, action]),
);
