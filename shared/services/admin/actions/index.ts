import type { AdminAction } from '../registry';
import { auditList } from './audit';
import { erase } from './erase';
import { parkedList } from './parked';
import { reconcileCancel, reconcileList, reconcileReport, reconcileStart, reconcileStatus } from './reconcile';
import { redriveList, redriveRun } from './redrive';
import { regionDrain, regionFence, regionsStatus, regionUnfence } from './regions';
import { replayCancel, replayList, replayPause, replayResume, replayStart, replayStatus } from './replay';
import { routesDiff } from './routes-diff';
import { routesActivate, routesPublish, routesShow } from './routes';
import { routesWhatIf } from './what-if';

/** Every admin action by name: the admin function dispatches from this table and nothing else. */
export const ADMIN_ACTIONS: ReadonlyMap<string, AdminAction> = new Map(
  (
    [
      routesPublish,
      routesActivate,
      routesShow,
      routesDiff,
      routesWhatIf,
      regionsStatus,
      regionFence,
      regionDrain,
      regionUnfence,
      replayStart,
      replayStatus,
      replayList,
      replayPause,
      replayResume,
      replayCancel,
      reconcileStart,
      reconcileStatus,
      reconcileList,
      reconcileCancel,
      reconcileReport,
      redriveList,
      redriveRun,
      parkedList,
      erase,
      auditList,
    ] as AdminAction[]
  ).map((action) => [action.name, action]),
);
