import { isUnansweredRead } from '../../shared/services/admin/actions/quorum-registers';

/** Pause between attempts of an admin call refused by an unanswered quorum read. */
const PAUSE_MS = 2_000;

/**
 * Makes a call, and again up to `retries` times (a pause between) while `unanswered` says it was
 * refused by a quorum read no majority answered in time (each region has the stage's
 * regionTimeoutMs, 2 s locally): on a starved machine that is a slow answer, and the refusal tells
 * an operator to retry. Nothing was written, so this is safe. Callers that see the refusal in
 * another shape (the CLI's stderr) say how to recognise it.
 */
export const retryingWhileUnanswered = async <R>(
  call: () => Promise<R>,
  unanswered: (response: R) => boolean,
  retries: number,
): Promise<R> => {
  let response = await call();
  for (let retry = 0; retry < retries && unanswered(response); retry += 1) {
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    response = await call();
  }
  return response;
};

/** An admin call through {@link retryingWhileUnanswered}, recognising the refusal in its typed answer. */
export const retryingUnansweredReads = <R extends { ok: boolean; error?: { code: string; message: string } }>(
  call: () => Promise<R>,
  retries: number,
): Promise<R> => retryingWhileUnanswered(call, (response) => !response.ok && isUnansweredRead(response.error), retries);
