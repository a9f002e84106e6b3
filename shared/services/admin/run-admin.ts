import { z } from 'zod';
import type { Caller } from '../../adapters/control-table';
import { StoreRejectedError, StoreUnavailableError } from '../../domain/infrastructure-errors';
import { AdminRequestError, type AdminDeps } from './admin-deps';
import { ADMIN_ACTIONS } from './actions';
import type { AdminAction } from './registry';

export type AdminResponse =
  | { ok: true; action: string; result: unknown }
  | { ok: false; action?: string; error: { code: string; message: string; issues?: unknown } };

/** Fields every request may carry besides the action's own: who claims to call, and the proof of it. */
const ENVELOPE = ['action', 'actor', 'callerProof'] as const;

const refuse = (code: string, message: string, action?: string, issues?: unknown): AdminResponse => ({
  ok: false,
  ...(action ? { action } : {}),
  error: { code, message, ...(issues === undefined ? {} : { issues }) },
});

/**
 * Runs one admin request: finds the action in the registry, validates its typed request, runs it,
 * and audits the call with the verified caller whatever the outcome. Mistakes come back as
 * `{ ok: false, error }` saying what to fix, never as a stack trace.
 */
export const runAdmin = async (
  raw: unknown,
  deps: AdminDeps,
  actions: ReadonlyMap<string, AdminAction> = ADMIN_ACTIONS,
): Promise<AdminResponse> => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return refuse('InvalidRequest', 'an admin request is a JSON object such as {"action":"routes.show"}');
  }
  const request = raw as Record<string, unknown>;
  const name = request.action;
  const action = typeof name === 'string' ? actions.get(name) : undefined;
  if (!action) {
    return refuse(
      'UnknownAction',
      `unknown action ${JSON.stringify(name)}; the actions are: ${[...actions.keys()].join(', ')}`,
    );
  }
  const caller = await deps.verifyCaller(request);
  const body = Object.fromEntries(
    Object.entries(request).filter(([key]) => !(ENVELOPE as readonly string[]).includes(key)),
  );
  const parsed = action.request.safeParse(body);
  const response = parsed.success
    ? await execute(action, parsed.data, deps, caller)
    : refuse(
        'InvalidRequest',
        `${action.name} request is not valid: ${z.prettifyError(parsed.error)}`,
        action.name,
        parsed.error.issues,
      );
  await audit(action, body, response, deps, caller);
  return response;
};

const execute = async (
  action: AdminAction,
  request: unknown,
  deps: AdminDeps,
  caller: Caller,
): Promise<AdminResponse> => {
  try {
    return { ok: true, action: action.name, result: await action.run(request, deps, caller) };
  } catch (error) {
    if (error instanceof AdminRequestError) return refuse(error.code, error.message, action.name, error.issues);
    if (error instanceof StoreUnavailableError || error instanceof StoreRejectedError) {
      return refuse(
        error.code,
        `${error.message} Retry; if it persists, check the region's health (region.status).`,
        action.name,
      );
    }
    throw error;
  }
};

/** Reads are audited too (who looked at what), but without their results; the raw key of an erase never is. */
const audit = async (
  action: AdminAction,
  body: Record<string, unknown>,
  response: AdminResponse,
  deps: AdminDeps,
  caller: Caller,
): Promise<void> => {
  const details: Record<string, unknown> = action.auditDetails ? action.auditDetails(body) : { ...body };
  delete details.yaml;
  delete details.document;
  if (action.name === 'erase') delete details.key;
  if (response.ok && action.mutates) details.result = summarize(response.result);
  if (!response.ok) details.error = response.error.code;
  await deps.control
    .audit({
      action: action.name,
      caller,
      at: deps.now().toISOString(),
      outcome: response.ok ? 'ok' : 'refused',
      details,
    })
    .catch((error: unknown) =>
      deps.log.error('audit entry not written', { action: action.name, error: String(error) }),
    );
};

const summarize = (result: unknown): unknown => {
  const text = JSON.stringify(result) ?? '';
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : result;
};
