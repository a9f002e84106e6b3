/** The smallest number of regions that is more than half of `regionCount`; any two such sets share a region. */
export const majorityOf = (regionCount: number): number => {
  if (!Number.isInteger(regionCount) || regionCount < 1)
    throw new RangeError(`regionCount must be a positive integer, got ${regionCount}`);
  return Math.floor(regionCount / 2) + 1;
};

/** True when `count` regions are a majority of `regionCount`. */
export const isMajority = (count: number, regionCount: number): boolean => count >= majorityOf(regionCount);

/** What one region said to a conditional write: accepted, refused (with the value that refused it), or nothing in time. */
export type WriteAck<T> = { kind: 'accepted' } | { kind: 'refused'; existing: T | undefined } | { kind: 'no-answer' };

/** How one conditional write to every region went, before any rule about what the value means. */
export type WriteVerdict<T> =
  | { kind: 'committed'; accepted: number }
  /** A majority answered but too few accepted: `refusals` are the values that refused it. */
  | { kind: 'refused'; accepted: number; refusals: Array<T | undefined> }
  | { kind: 'no-quorum'; answered: number };

/**
 * Judges one conditional write from every region's ack. A value is committed once a majority
 * accepted it; when too few did, the write is refused if a majority answered at all (someone else's
 * value stands), and has no quorum otherwise (nothing can be said).
 */
export const judgeWrite = <T>(acks: ReadonlyArray<WriteAck<T>>, regionCount: number): WriteVerdict<T> => {
  const accepted = acks.filter((a) => a.kind === 'accepted').length;
  if (isMajority(accepted, regionCount)) return { kind: 'committed', accepted };
  const answered = acks.filter((a) => a.kind !== 'no-answer').length;
  if (!isMajority(answered, regionCount)) return { kind: 'no-quorum', answered };
  return { kind: 'refused', accepted, refusals: acks.flatMap((a) => (a.kind === 'refused' ? [a.existing] : [])) };
};
