import {
  isBehind,
  isWrittenBack,
  judgeRegisterWrite,
  newestRegister,
  readRegisterValue,
  type Versioned,
} from '../domain/ownership/register';
import { COORD_KEYS, registerItemKey, registerOf } from './coord-keys';
import {
  anyOf,
  answeredValues,
  readEveryRegion,
  toAcks,
  writeEveryRegion,
  type Condition,
  type QuorumTables,
  type RegionReadReply,
  type RegionWriteReply,
} from './quorum-calls';

/** What each region said during one register operation, for diagnostics. */
export interface RegisterAnswers {
  read?: Array<RegionReadReply<Versioned<unknown>>>;
  write?: Array<RegionWriteReply<Versioned<unknown>>>;
}

/** A register read: the newest version a majority holds (after writing it back if needed), or no quorum. */
export type RegisterReadResult =
  | { outcome: 'read'; register: Versioned<unknown> | undefined; answers: RegisterAnswers }
  | { outcome: 'no-quorum'; answered: number; answers: RegisterAnswers };

/** A register write: committed on a majority, refused because a majority holds this version or a newer one, or no quorum. */
export type RegisterWriteResult =
  | { outcome: 'written'; answers: RegisterAnswers }
  | { outcome: 'superseded'; current: Versioned<unknown> | undefined; answers: RegisterAnswers }
  | { outcome: 'no-quorum'; answered: number; answers: RegisterAnswers };

const { attributes } = COORD_KEYS;

/*
 * A register write as each region checks it: nothing there yet, or an older version.
 *   version:  … 3 ── 4 ── [5 written] ── 6 …   accepted over 4 or absent, refused over 5 or 6
 */
const absent = 'attribute_not_exists(#pk)';
const olderVersion = '#version < :version';
const writeCondition = (version: number): Condition => ({
  expression: anyOf(absent, olderVersion),
  names: { '#pk': COORD_KEYS.partitionKey, '#version': attributes.version },
  values: { ':version': version },
});

/** The register half of the quorum store: versioned values written and read by majority. */
export const createRegisterOperations = (tables: QuorumTables) => {
  const regionCount = tables.clients.size;
  const put = (name: string, register: Versioned<unknown>, regions?: ReadonlySet<string>) =>
    writeEveryRegion(
      tables,
      { ...registerItemKey(name), [attributes.version]: register.version, [attributes.value]: register.value },
      writeCondition(register.version),
      registerOf,
      regions,
    );

  return {
    /** Reads register `name`; a version not yet on a majority is written back first, so reads never go back in time. */
    async readRegister(name: string): Promise<RegisterReadResult> {
      const read = await readEveryRegion(tables, registerItemKey(name), registerOf);
      const result = readRegisterValue(answeredValues(read), regionCount);
      if (result.kind === 'no-quorum') return { outcome: 'no-quorum', answered: result.answered, answers: { read } };
      const { register } = result;
      if (result.settled || !register) return { outcome: 'read', register, answers: { read } };
      const behind = read.filter((reply) => reply.answer === 'value' && isBehind(reply.value, register));
      const write = await put(name, register, new Set(behind.map((reply) => reply.region)));
      const upToDate = read.filter((reply) => reply.answer === 'value' && !isBehind(reply.value, register)).length;
      const answers = { read, write };
      if (isWrittenBack(upToDate, toAcks(write), regionCount)) return { outcome: 'read', register, answers };
      return { outcome: 'no-quorum', answered: upToDate + write.filter((r) => r.answer !== 'none').length, answers };
    },

    /** Writes `value` as `version` of register `name` on every region; idempotent for the same version and value. */
    async writeRegister(name: string, version: number, value: unknown): Promise<RegisterWriteResult> {
      if (!Number.isInteger(version) || version < 1)
        throw new RangeError(`A register version is a positive integer, got ${version}`);
      const written = { version, value };
      const write = await put(name, written);
      const verdict = judgeRegisterWrite(written, toAcks(write), regionCount);
      if (verdict.kind === 'committed') return { outcome: 'written', answers: { write } };
      if (verdict.kind === 'no-quorum') return { outcome: 'no-quorum', answered: verdict.answered, answers: { write } };
      return { outcome: 'superseded', current: newestRegister(verdict.refusals), answers: { write } };
    },
  };
};
