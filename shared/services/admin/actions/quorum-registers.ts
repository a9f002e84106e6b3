import type { QuorumStore } from '../../../adapters/quorum-store';
import { AdminRequestError } from '../admin-deps';

/** The words of every refusal for a quorum read no majority answered in time. */
export const UNANSWERED_READ = 'answered reading';

/**
 * Whether an admin error is a quorum read no majority answered in time: refused before anything was
 * written, so the same call may simply be made again (a slow region is not a verdict).
 */
export const isUnansweredRead = (error: { code?: string; message?: string } | undefined): boolean =>
  error?.code === 'NoQuorum' && (error.message ?? '').includes(UNANSWERED_READ);

/** Reads a quorum register; no majority answering is an error the operator can act on. */
export const readRegisterOrFail = async (quorum: QuorumStore, name: string) => {
  const read = await quorum.readRegister(name);
  if (read.outcome !== 'read') {
    throw new AdminRequestError(
      'NoQuorum',
      `Only ${read.answered} regions ${UNANSWERED_READ} ${name}; a majority is needed. Check region health (region.status) and retry.`,
    );
  }
  return read.register;
};

/** Writes a quorum register at `version`; a concurrent writer or no majority is an error saying what to do. */
export const writeRegisterOrFail = async (
  quorum: QuorumStore,
  name: string,
  version: number,
  value: unknown,
): Promise<void> => {
  const written = await quorum.writeRegister(name, version, value);
  if (written.outcome === 'written') return;
  if (written.outcome === 'superseded') {
    throw new AdminRequestError(
      'ConcurrentChange',
      `${name} was changed by someone else at the same time (now version ${written.current?.version ?? '?'}); read it again and retry.`,
    );
  }
  throw new AdminRequestError(
    'NoQuorum',
    `Only ${written.answered} regions accepted the write to ${name}; a majority is needed. Check region health and retry.`,
  );
};
