import type { Judgement, RegionState } from './judge-region';

// On a tie the more cautious state wins: treating a recovering region as healthy could hand it work early.
const CAUTION: readonly RegionState[] = ['recovering', 'degraded', 'healthy'];

const countOf = (states: readonly RegionState[], state: RegionState): number =>
  states.filter((s) => s === state).length;

/**
 * Combines every region's judgement of one region (undefined: no answer). It is failed (or fenced) only when
 * a majority of all `regionCount` regions say so, so a partitioned observer cannot fail a region alone;
 * otherwise the most common other state, or 'unknown' when no region gave one.
 */
export const quorumVerdict = (
  judgements: ReadonlyArray<Judgement | undefined>,
  regionCount: number,
): RegionState | 'unknown' => {
  if (!Number.isInteger(regionCount) || regionCount < 1 || judgements.length > regionCount) {
    throw new RangeError(`expected at most one judgement per region of ${regionCount}, got ${judgements.length}`);
  }
  const states = judgements.flatMap((judgement) => (judgement ? [judgement.state] : []));
  const majority = Math.floor(regionCount / 2) + 1;
  const fenced = countOf(states, 'fenced');
  if (fenced >= majority) return 'fenced';
  if (fenced + countOf(states, 'failed') >= majority) return 'failed';
  const ranked = CAUTION.map((state) => ({ state, votes: countOf(states, state) })).filter(({ votes }) => votes > 0);
  const best = ranked.reduce<(typeof ranked)[number] | undefined>(
    (leader, entry) => (!leader || entry.votes > leader.votes ? entry : leader),
    undefined,
  );
  return best?.state ?? 'unknown';
};
