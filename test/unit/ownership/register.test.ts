import { describe, expect, it } from 'vitest';
import {
  acceptsRegisterWrite,
  isWrittenBack,
  judgeRegisterWrite,
  readRegisterValue,
  type Versioned,
} from '../../../shared/domain/ownership';

const v3: Versioned<{ routes: number }> = { version: 3, value: { routes: 3 } };
const v4: Versioned<{ routes: number }> = { version: 4, value: { routes: 4 } };

describe('quorum register', () => {
  it('accepts a write where the register is absent or older, and refuses an equal or newer version', () => {
    expect([undefined, v3, v4].map((existing) => acceptsRegisterWrite(existing, 4))).toEqual([true, true, false]);
  });

  it('reads the highest version among a majority, settled when a majority holds it', () => {
    expect(readRegisterValue([v3, v4, v4], 3)).toEqual({ kind: 'read', register: v4, settled: true });
  });

  it('reads a version only one region holds as not settled, so the reader writes it back first', () => {
    expect(readRegisterValue([v3, v4], 3)).toEqual({ kind: 'read', register: v4, settled: false });
  });

  it('reads an empty register as settled', () => {
    expect(readRegisterValue([undefined, undefined], 3)).toEqual({ kind: 'read', register: undefined, settled: true });
  });

  it('reports no quorum when fewer than a majority answered', () => {
    expect(readRegisterValue([v4], 3)).toEqual({ kind: 'no-quorum', answered: 1 });
  });

  it('counts a retried write that already landed as accepted, whatever the key order of its value', () => {
    const written = { version: 5, value: { a: 1, b: 2 } };
    const landed = { version: 5, value: { b: 2, a: 1 } };
    const verdict = judgeRegisterWrite(
      written,
      [{ kind: 'refused', existing: landed }, { kind: 'accepted' }, { kind: 'no-answer' }],
      3,
    );
    expect(verdict.kind).toBe('committed');
  });

  it('is refused by a different value under the same version', () => {
    const written = { version: 5, value: 'mine' };
    const other = { version: 5, value: 'theirs' };
    const verdict = judgeRegisterWrite(
      written,
      [{ kind: 'refused', existing: other }, { kind: 'refused', existing: other }, { kind: 'accepted' }],
      3,
    );
    expect(verdict).toEqual({ kind: 'refused', accepted: 1, refusals: [other, other] });
  });

  it('counts a write-back as done once up-to-date regions and answering ones make a majority', () => {
    expect(isWrittenBack(1, [{ kind: 'refused', existing: undefined }], 3)).toBe(true);
    expect(isWrittenBack(1, [{ kind: 'no-answer' }], 3)).toBe(false);
  });
});
