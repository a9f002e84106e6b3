import type { ClaimRequest } from '../../adapters/ledger-table';
import { StoreRejectedError, StoreUnavailableError } from '../../domain/infrastructure-errors';
import type { ReplayMode } from '../../domain/jobs/job-model';
import type { ReplayStep } from '../../domain/jobs/replay-steps';
import { LEDGER_ROW } from '../../table-definitions';
import { claimRequestFor, leaseHeld } from '../delivery/claim-request';
import type { Ownership } from '../delivery/delivery-deps';
import { claimKey, sendClaimed, type Claimed } from '../delivery/send-claimed';
import type { JobDeps } from './job-deps';
import type { LoadedEvent } from './load-event';

/** One delivery a replay sends: the event and the step that chose it. */
export interface SendUnit {
  event: LoadedEvent;
  step: Extract<ReplayStep, { action: 'send' }>;
}

/** What became of one unit. */
export type SendOutcome =
  | { unit: SendUnit; outcome: 'sent'; owner: string; epoch: number }
  | { unit: SendUnit; outcome: 'failed'; reason: string }
  /** Not settled now (a live claim, a retryable failure, a busy store): the part looks again later. */
  | { unit: SendUnit; outcome: 'retry'; reason: string }
  /** Delivered by someone else between the plan and the claim. */
  | { unit: SendUnit; outcome: 'skipped'; reason: string };

/** The sort key a replay claims: the owner's ordinary row (`missing`) or the job's own row (`force`). */
export const replayRowKey = (to: string, owner: string, jobId: string, mode: ReplayMode): string =>
  mode === 'force' ? `${LEDGER_ROW.delivery(to, owner)}#replay:${jobId}` : LEDGER_ROW.delivery(to, owner);

/*
 * The same claim the delivery engine makes (drive-events.ts), with the replay's shorter claim TTL.
 * A missing-mode claim does not mark the ordinary row with the job: the engine reads a marked row as
 * a replay copy, and another owner would then deliver it again. Its send still carries the job.
 */
const claimFor = (unit: SendUnit, ownership: Ownership, jobId: string, mode: ReplayMode, deps: JobDeps): ClaimRequest =>
  claimRequestFor({
    item: unit.event.item,
    delivery: unit.step.delivery,
    ownership,
    owner: deps.region,
    sk: replayRowKey(unit.step.delivery.to, deps.region, jobId, mode),
    token: deps.newToken(),
    now: deps.now(),
    claimTtlMs: deps.jobSettings.claimTtlMs,
    ...(mode === 'force' ? { replayJob: jobId } : {}),
  });

const transient = (error: unknown): error is Error =>
  error instanceof StoreUnavailableError || error instanceof StoreRejectedError;

/**
 * Claims and sends one paced chunk of deliveries under the part's lease (its epoch goes on every
 * claim and every sent event), through the delivery engine's batching, breakers and confirms.
 */
export const sendReplay = async (
  units: readonly SendUnit[],
  ctx: { ownership: Ownership; jobId: string; mode: ReplayMode },
  deps: JobDeps,
): Promise<SendOutcome[]> => {
  const outcomes: SendOutcome[] = [];
  const claimed: (Claimed & { unit: SendUnit })[] = [];
  await Promise.all(
    units.map(async (unit) => {
      const request = claimFor(unit, ctx.ownership, ctx.jobId, ctx.mode, deps);
      if (!(await leaseHeld(ctx.ownership, Date.parse(request.now), deps.ownership))) {
        outcomes.push({ unit, outcome: 'retry', reason: 'lease ended' });
        return;
      }
      try {
        if (unit.step.reopen) await deps.ledger.deliveries.reopen({ ...request, now: request.now });
        const claim = await deps.ledger.deliveries.claim(request);
        if (claim.kind === 'claimed') {
          const work = { item: unit.event.item, ownership: ctx.ownership, replayJob: ctx.jobId };
          claimed.push({
            unit,
            work,
            delivery: unit.step.delivery,
            sk: request.sk,
            token: request.token,
            owner: deps.region,
            attempt: claim.attempt,
            suspected: claim.suspectedRedelivery,
          });
        } else if (claim.kind === 'settled' && claim.status === 'delivered') {
          outcomes.push({ unit, outcome: 'skipped', reason: 'delivered meanwhile' });
        } else if (claim.kind === 'settled') {
          outcomes.push({ unit, outcome: 'failed', reason: 'parked meanwhile' });
        } else {
          outcomes.push({ unit, outcome: 'retry', reason: `claim held by ${'owner' in claim ? claim.owner : '?'}` });
        }
      } catch (error) {
        if (!transient(error)) throw error;
        outcomes.push({ unit, outcome: 'retry', reason: error.message });
      }
    }),
  );
  const states = await sendClaimed(claimed, deps);
  for (const c of claimed) {
    const state = states.get(claimKey(c));
    if (state?.status === 'delivered')
      outcomes.push({ unit: c.unit, outcome: 'sent', owner: deps.region, epoch: ctx.ownership.epoch });
    else if (state?.status === 'parked')
      outcomes.push({ unit: c.unit, outcome: 'failed', reason: state.reason ?? 'parked' });
    else outcomes.push({ unit: c.unit, outcome: 'retry', reason: state?.reason ?? 'not sent' });
  }
  return outcomes;
};
