import { Presets, SingleBar } from 'cli-progress';
import type { Session } from './session';

/** Long admin jobs end in one of these; anything else is still going. */
export const FINAL_STATES = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

/** How often a watcher asks for the job's state. */
export const POLL_INTERVAL_MS = 1_000;

/** What `replay.status` answers (other fields are shown as they come). */
export interface ReplayStatus {
  jobId: string;
  state: string;
  progress?: { scanned?: number; selected?: number; sent?: number; skipped?: number; failed?: number };
  [field: string]: unknown;
}

/**
 * Polls `read` until the job reaches a final state, or until Ctrl-C, which only detaches: the job
 * runs on in the admin's control store. `onUpdate` sees every answer.
 */
export const pollUntilFinal = async <T extends { state: string }>(
  s: Session,
  read: () => Promise<T>,
  onUpdate: (status: T) => void,
): Promise<T | 'detached'> => {
  let detach: () => void = () => undefined;
  const interrupted = new Promise<'detached'>((resolve) => (detach = () => resolve('detached')));
  const stopListening = s.io.onInterrupt(() => detach());
  try {
    for (;;) {
      const status = await Promise.race([read(), interrupted]);
      if (status === 'detached') return status;
      onUpdate(status);
      if (FINAL_STATES.has(status.state)) return status;
      if ((await Promise.race([s.io.sleep(POLL_INTERVAL_MS), interrupted])) === 'detached') return 'detached';
    }
  } finally {
    stopListening();
  }
};

const counts = (status: ReplayStatus) => {
  const p = status.progress ?? {};
  return {
    sent: p.sent ?? 0,
    skipped: p.skipped ?? 0,
    failed: p.failed ?? 0,
    selected: p.selected ?? 0,
    scanned: p.scanned ?? 0,
  };
};

/** One line of a replay's progress, for logs and the final summary. */
export const describeReplayProgress = (status: ReplayStatus): string => {
  const c = counts(status);
  return `replay ${status.jobId} ${status.state}: scanned ${c.scanned}, selected ${c.selected}, sent ${c.sent}, skipped ${c.skipped}, failed ${c.failed}`;
};

/**
 * Follows a replay with a live progress bar on a terminal (a line per state change elsewhere)
 * until it ends or the operator detaches with Ctrl-C.
 */
export const watchReplay = async (s: Session, jobId: string): Promise<ReplayStatus | 'detached'> => {
  const bar = s.io.interactive
    ? new SingleBar(
        {
          stream: s.io.progressStream,
          format:
            'replay {jobId} [{bar}] {percentage}% | {value}/{total} | sent {sent} skipped {skipped} failed {failed} | {state}',
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(1, 0, { jobId, state: 'STARTING', sent: 0, skipped: 0, failed: 0 });
  let lastState = '';
  let outcome: ReplayStatus | 'detached';
  try {
    outcome = await pollUntilFinal(
      s,
      () => s.call<ReplayStatus>('replay.status', { jobId }),
      (status) => {
        const c = counts(status);
        bar?.setTotal(Math.max(1, c.selected));
        bar?.update(c.sent + c.skipped + c.failed, { ...c, jobId, state: status.state });
        if (!bar && status.state !== lastState) s.note(describeReplayProgress(status));
        lastState = status.state;
      },
    );
  } finally {
    bar?.stop();
  }
  if (outcome === 'detached') {
    s.note(
      `Detached; replay ${jobId} keeps running.\n` +
        `  follow it: ${s.invocation} replay status ${jobId} --watch\n` +
        `  cancel it: ${s.invocation} replay cancel ${jobId}`,
    );
  }
  return outcome;
};
