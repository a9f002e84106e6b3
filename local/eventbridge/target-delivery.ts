import { DeliveryFailure } from './delivery-failure';
import type { EventEnvelope } from './envelope';
import type { IngestMeta, RouterDeps } from './event-router';
import { renderTargetInput } from './input-transform';
import type { DeliveryStats } from './inspector';
import type { Rule, Target } from './store';
import { sendToTarget, type SendDeps } from './target-senders';
import { DeliveryStoppedError } from './timers';

export type DeliveryDeps = RouterDeps & Pick<SendDeps, 'ingest'>;

export interface DeliveryJob {
  rule: Rule;
  target: Target;
  envelope: EventEnvelope;
  meta: IngestMeta;
}

/** Backoff before retry n (0-based), unscaled: 1 s doubling to a 5 min cap, with half of it jittered. */
export const retryDelayMs = (retry: number, random: () => number): number => {
  const ceiling = Math.min(300_000, 1000 * 2 ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
};

/**
 * Delivers one event to one target, retrying per the target's RetryPolicy on a clock that
 * runs `retryTimeScale` times real time, then dead-lettering or dropping it.
 */
export const deliverToTarget = async (deps: DeliveryDeps, job: DeliveryJob): Promise<void> => {
  const stats = statsFor(deps, job);
  const input = renderTargetInput(job.target, job.envelope, job.rule);
  const sendDeps = { ...deps, accountId: deps.store.accountId };
  let retries = 0;
  let virtualAgeMs = 0;
  for (;;) {
    stats.attempts += 1;
    const failure = await attempt(() => sendToTarget(sendDeps, { ...job, input }));
    if (!failure) {
      stats.successes += 1;
      return;
    }
    recordFailure(stats, failure, deps.now());
    const delay = retryDelayMs(retries, deps.random);
    const exhausted = exhaustedCondition(failure, job.target, retries, virtualAgeMs + delay);
    if (exhausted !== undefined) return deadLetter(deps, job, stats, { failure, retries, exhausted });
    if (!(await sleepUnlessStopped(deps, delay * deps.retryTimeScale))) return;
    retries += 1;
    stats.retries += 1;
    virtualAgeMs += delay;
  }
};

const statsFor = (deps: DeliveryDeps, { rule, target }: DeliveryJob): DeliveryStats =>
  deps.inspector.deliveryStats({
    region: rule.region,
    bus: rule.busName,
    rule: rule.name,
    ruleArn: rule.arn,
    targetId: target.id,
    targetArn: target.arn,
  });

/** False when the endpoint stopped meanwhile; the delivery then ends without a DLQ message. */
const sleepUnlessStopped = async (deps: DeliveryDeps, ms: number): Promise<boolean> => {
  try {
    await deps.timers.sleep(ms);
    return true;
  } catch (error) {
    if (error instanceof DeliveryStoppedError) return false;
    throw error;
  }
};

const attempt = async (send: () => Promise<void>): Promise<DeliveryFailure | undefined> => {
  try {
    await send();
    return undefined;
  } catch (error) {
    if (error instanceof DeliveryFailure) return error;
    return new DeliveryFailure('INTERNAL_ERROR', error instanceof Error ? error.message : String(error), true);
  }
};

/** Null for a non-retryable failure (no condition applies), a name when a limit ran out, undefined to retry. */
const exhaustedCondition = (
  failure: DeliveryFailure,
  target: Target,
  retries: number,
  ageAfterNextMs: number,
): string | null | undefined => {
  if (!failure.retryable) return null;
  if (retries >= target.maximumRetryAttempts) return 'MaximumRetryAttempts';
  if (ageAfterNextMs > target.maximumEventAgeInSeconds * 1000) return 'MaximumEventAgeInSeconds';
  return undefined;
};

const recordFailure = (stats: DeliveryStats, failure: DeliveryFailure, now: Date): void => {
  stats.failures += 1;
  stats.lastError = { code: failure.code, message: failure.message, at: now.toISOString() };
};

interface GiveUp {
  failure: DeliveryFailure;
  retries: number;
  exhausted: string | null;
}

/** Sends the original event to the target's DLQ with AWS's attributes, or drops it when there is none. */
const deadLetter = (deps: DeliveryDeps, job: DeliveryJob, stats: DeliveryStats, giveUp: GiveUp): void => {
  const dlq = job.target.deadLetterArn;
  if (!dlq) {
    stats.dropped += 1;
    return;
  }
  const attributes: Record<string, string> = {
    RULE_ARN: job.rule.arn,
    TARGET_ARN: job.target.arn,
    ERROR_CODE: giveUp.failure.code,
    ERROR_MESSAGE: giveUp.failure.message,
    RETRY_ATTEMPTS: String(giveUp.retries),
  };
  if (giveUp.exhausted) attributes.EXHAUSTED_RETRY_CONDITION = giveUp.exhausted;
  try {
    deps.queues.send(dlq, JSON.stringify(job.envelope), attributes);
    stats.deadLettered += 1;
  } catch {
    stats.dropped += 1;
  }
};
