import type { z } from 'zod';
import type { Caller } from '../../adapters/control-table';
import type { AdminDeps } from './admin-deps';

/** One admin action: its request schema (without `action`), whether it changes anything, and what it does. */
export interface AdminAction<S extends z.ZodType = z.ZodType, R = unknown> {
  name: string;
  description: string;
  /** Changes state (audited as a change) or only reads. */
  mutates: boolean;
  request: S;
  /** What the audit keeps of a request, when not all of it: keys and payloads never reach the control store. */
  auditDetails?: (body: Record<string, unknown>) => Record<string, unknown>;
  run(request: z.infer<S>, deps: AdminDeps, caller: Caller): Promise<R>;
}

/** Declares an action with its types tied together. */
export const defineAction = <S extends z.ZodType, R>(action: AdminAction<S, R>): AdminAction<S, R> => action;
