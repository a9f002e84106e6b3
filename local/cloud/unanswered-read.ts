import { isUnansweredRead } from '../../shared/services/admin/actions/quorum-registers';

/** Pause between attempts of an admin call refused by an unanswered quorum read. */
const PAUSE_MS = 2_000;

/**
 * Makes an admin call, and again up to `retries` times while it is refused by a quorum read no
 * majority answered in time (each region has the stage's regionTimeoutMs, 2 s locally): on a starved
 * machine that is a slow answer, and the refusal tells an operator to retry. Nothing was written, so
 * this is safe.
 */
export const retryingUnansweredReads = async <R extends { ok: boolean; error?: { code: string; message: string } }>(
  call: () => Promise<R>,
  retries: number,
): Promise<R> => {
  let response = await call();
  for (let retry = 0; retry < retries && !response.ok && isUnansweredRead(response.error); retry += 1) {
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    response = await call();
  }
  return response;
};
