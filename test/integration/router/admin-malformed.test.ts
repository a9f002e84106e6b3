import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouterHarness } from '../../../local/harness/router-harness';
import type { AdminResponse } from '../../../shared/services/admin/run-admin';
import { ADMIN_ACTIONS } from '../../../shared/services/admin/actions';
import { callerProof } from '../jobs/support/caller-proof';

const REGION = 'us-east-1';

/** A request each action's schema refuses: an unknown field (every schema is strict), and one wrong-typed field. */
const malformed = (action: string): Record<string, unknown>[] => [
  { action, surprise: true },
  { action, limit: 'ten', jobId: 42, reportId: 42, version: 'one', region: 'moon-base-1', queue: 'nope' },
];

describe('admin function: every action validates its request, and every call is audited with its caller', () => {
  let harness: RouterHarness;
  const invoke = (payload: unknown): Promise<AdminResponse> =>
    harness.rc.cloud.runtime.invoke(REGION, 'admin', payload) as Promise<AdminResponse>;

  beforeAll(async () => {
    harness = await RouterHarness.start();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it.each([...ADMIN_ACTIONS.keys()])(
    'refuses a malformed %s request with a typed InvalidRequest error',
    async (action) => {
      for (const request of malformed(action)) {
        // Act
        const response = await invoke({ actor: 'malformed-test', ...request });
        // Assess
        expect(response.ok).toBe(false);
        if (response.ok) return;
        expect(response.action).toBe(action);
        expect(response.error.code).toBe('InvalidRequest');
        expect(response.error.message).toContain(`${action} request is not valid`);
        expect(Array.isArray(response.error.issues)).toBe(true);
      }
    },
  );

  it('refuses an unknown action and names the actions there are', async () => {
    // Act
    const response = await invoke({ action: 'replay.explode' });
    // Assess
    expect(response).toMatchObject({ ok: false, error: { code: 'UnknownAction' } });
    expect(!response.ok && response.error.message).toContain('replay.start');
  });

  it('refuses a request that is not an object', async () => {
    expect(await invoke(['replay.start'])).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
  });

  it('audits every call, refused ones included, with the verified caller when it sent proof', async () => {
    // Prepare: a call with proof signed as the role ops-admin, and one without proof.
    const proof = await callerProof(harness.rc.cloud.endpoints.lambda, REGION, 'role-ops-admin');
    // Act
    await invoke({ action: 'replay.list', callerProof: proof });
    await invoke({ action: 'replay.status', actor: 'claimed-alice', jobId: 'not-a-job' });
    const audit = await invoke({ action: 'audit.list', limit: 1000 });
    // Assess
    expect(audit.ok).toBe(true);
    const entries = (audit.ok ? (audit.result as { entries: Record<string, unknown>[] }).entries : []) as {
      action: string;
      outcome: string;
      caller: { principal: string; verified: boolean };
    }[];
    expect(entries.find((e) => e.action === 'replay.list')?.caller).toMatchObject({
      principal: 'arn:aws:iam::000000000000:role/ops-admin',
      verified: true,
    });
    expect(entries.find((e) => e.action === 'replay.status')).toMatchObject({
      outcome: 'refused',
      caller: { principal: 'claimed-alice', verified: false },
    });
    expect(entries.filter((e) => e.caller.principal === 'malformed-test').length).toBeGreaterThanOrEqual(
      ADMIN_ACTIONS.size * 2,
    );
  });

  it('keeps the event ids a replay names out of the audit, counting them instead', async () => {
    // Act
    await invoke({
      action: 'replay.start',
      mode: 'force',
      dryRun: false,
      selection: { eventIds: ['k1["x","s:secret"]'] },
      budgetPerSecond: 0,
    });
    const audit = await invoke({ action: 'audit.list', limit: 1000 });
    // Assess
    const text = JSON.stringify(audit);
    expect(text).not.toContain('secret');
    expect(text).toContain('"eventIdCount":1');
  });
});
