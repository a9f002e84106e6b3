import { canonicalJson } from '../canonical-json';
import { isMajority, judgeWrite, type WriteAck, type WriteVerdict } from './quorum';

/**
 * A single value in the quorum store (the active routes pointer, an operator fence), replaced only by
 * a higher version.
 */
export interface Versioned<T> {
  version: number;
  value: T;
}

/** A region's rule for a register write: nothing there yet, or an older version. */
export const acceptsRegisterWrite = (existing: Versioned<unknown> | undefined, version: number): boolean =>
  existing === undefined || existing.version < version;

/** True when both hold the same version with equal values: a retried write that already landed. */
export const sameRegister = (a: Versioned<unknown> | undefined, b: Versioned<unknown> | undefined): boolean =>
  a !== undefined && b !== undefined && a.version === b.version && canonicalJson(a.value) === canonicalJson(b.value);

/** The newest of these register values, or undefined when there is none. */
export const newestRegister = <T>(answers: ReadonlyArray<Versioned<T> | undefined>): Versioned<T> | undefined =>
  answers.reduce<Versioned<T> | undefined>(
    (newest, answer) => (answer && (!newest || answer.version > newest.version) ? answer : newest),
    undefined,
  );

/** True when a region's answer is older than `newest`, so a read should write `newest` back to it. */
export const isBehind = (answer: Versioned<unknown> | undefined, newest: Versioned<unknown>): boolean =>
  answer === undefined || answer.version < newest.version;

/**
 * Reads a register from the answers of the regions that answered. The newest answer is the value;
 * `settled` says whether a majority already holds it. When it does not (a write in flight, or one that
 * reached only a minority), the reader writes it back before using it, so no later read can go back
 * to an older version.
 */
export const readRegisterValue = <T>(
  answers: ReadonlyArray<Versioned<T> | undefined>,
  regionCount: number,
): { kind: 'read'; register: Versioned<T> | undefined; settled: boolean } | { kind: 'no-quorum'; answered: number } => {
  if (!isMajority(answers.length, regionCount)) return { kind: 'no-quorum', answered: answers.length };
  const register = newestRegister(answers);
  const settled =
    register === undefined || isMajority(answers.filter((a) => !isBehind(a, register)).length, regionCount);
  return { kind: 'read', register, settled };
};

/**
 * Judges a register write. A refusal by the very value being written (a retry after a lost answer)
 * counts as accepted, so writing a version twice is idempotent.
 */
export const judgeRegisterWrite = <T>(
  written: Versioned<T>,
  acks: ReadonlyArray<WriteAck<Versioned<unknown>>>,
  regionCount: number,
): WriteVerdict<Versioned<unknown>> =>
  judgeWrite(
    acks.map((ack) => (ack.kind === 'refused' && sameRegister(ack.existing, written) ? { kind: 'accepted' } : ack)),
    regionCount,
  );

/**
 * True once a majority holds at least the version a read returns: the regions already up to date,
 * plus the behind regions that answered its write-back (accepted, or refused because they hold newer).
 */
export const isWrittenBack = (
  upToDate: number,
  writeBackAcks: ReadonlyArray<WriteAck<unknown>>,
  regionCount: number,
): boolean => isMajority(upToDate + writeBackAcks.filter((ack) => ack.kind !== 'no-answer').length, regionCount);
