import { retryingUnansweredReads } from '../../../local/cloud/unanswered-read';
import type { RouterHarness } from '../../../local/harness/router-harness';
import type { AdminResponse } from '../../../shared/services/admin/run-admin';

/**
 * Invokes the admin function in a region as the operator CLI would, and returns its typed answer.
 * A call refused by a quorum read no majority answered in time (one JVM serves every region here,
 * and a starved one answers late) is made again, as the refusal tells an operator to: nothing was
 * written.
 */
export const invokeAdmin = async (
  harness: RouterHarness,
  region: string,
  request: { action: string } & Record<string, unknown>,
): Promise<AdminResponse> =>
  retryingUnansweredReads(
    async () =>
      (await harness.rc.cloud.runtime.invoke(region, 'admin', {
        actor: 'e2e@switchyard.test',
        ...request,
      })) as AdminResponse,
    2,
  );

/** The result of a successful admin call; throws with the refusal otherwise, so a test fails saying why. */
export const adminResult = <T>(response: AdminResponse): T => {
  if (!response.ok) throw new Error(`admin ${response.action ?? '?'} refused: ${JSON.stringify(response.error)}`);
  return response.result as T;
};
