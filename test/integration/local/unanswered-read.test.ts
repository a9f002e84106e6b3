import { describe, expect, it } from 'vitest';
import { retryingUnansweredReads } from '../../../local/cloud/unanswered-read';
import { UNANSWERED_READ } from '../../../shared/services/admin/actions/quorum-registers';

const unanswered = {
  ok: false,
  error: { code: 'NoQuorum', message: `Only 1 regions ${UNANSWERED_READ} fences; a majority is needed.` },
};
const refused = { ok: false, error: { code: 'InvalidJobState', message: 'the job is cancelled' } };
const answered = { ok: true };

/** A call that answers each of `responses` in turn, counting its calls. */
const scripted = (...responses: Array<{ ok: boolean; error?: { code: string; message: string } }>) => {
  const call = async () => {
    call.calls += 1;
    return responses[Math.min(call.calls, responses.length) - 1] ?? answered;
  };
  call.calls = 0;
  return call;
};

describe('retryingUnansweredReads: test and local tooling make again a call no majority answered', () => {
  it('calls again after an unanswered read until it is answered', async () => {
    const call = scripted(unanswered, answered);
    await expect(retryingUnansweredReads(call, 2)).resolves.toEqual(answered);
    expect(call.calls).toBe(2);
  });

  it('gives up after its retries and returns the last refusal', async () => {
    const call = scripted(unanswered, unanswered, unanswered, answered);
    await expect(retryingUnansweredReads(call, 2)).resolves.toEqual(unanswered);
    expect(call.calls).toBe(3);
  });

  it('never repeats a call refused for another reason', async () => {
    const call = scripted(refused, answered);
    await expect(retryingUnansweredReads(call, 2)).resolves.toEqual(refused);
    expect(call.calls).toBe(1);
  });
});
