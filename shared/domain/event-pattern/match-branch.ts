import type { ArrayMembership, EventLeaf, FlatEvent } from './flatten-event';
import type { Branch } from './types';

interface Slot {
  readonly path: string;
  readonly candidates: readonly EventLeaf[];
  readonly acceptsAbsence: boolean;
}

/** Combines two memberships, or returns undefined when they name different elements of one array. */
export const mergeMembership = (left: ArrayMembership, right: ArrayMembership): ArrayMembership | undefined => {
  if (right.size === 0) return left;
  const merged = new Map(left);
  for (const [arrayId, index] of right) {
    const existing = merged.get(arrayId);
    if (existing !== undefined && existing !== index) return undefined;
    merged.set(arrayId, index);
  }
  return merged;
};

const isConsistent = (membership: ArrayMembership, leaf: EventLeaf): boolean =>
  mergeMembership(membership, leaf.membership) !== undefined;

// exists:false holds when no leaf at the path could sit beside the leaves already chosen: a sibling
// array element that has the field does not make it "present" for this one, as in event-ruler.
const isAbsent = (event: FlatEvent, path: string, membership: ArrayMembership): boolean =>
  !(event.get(path) ?? []).some((leaf) => isConsistent(membership, leaf));

const toSlots = (branch: Branch, event: FlatEvent): Slot[] =>
  [...branch]
    .map(([path, condition]) => ({
      path,
      candidates: (event.get(path) ?? []).filter((leaf) => condition.predicates.some((test) => test(leaf.value))),
      acceptsAbsence: condition.acceptsAbsence,
    }))
    // Trying the most selective fields first keeps the backtracking search short.
    .sort((left, right) => left.candidates.length - right.candidates.length);

const search = (
  event: FlatEvent,
  slots: readonly Slot[],
  membership: ArrayMembership,
  absentPaths: readonly string[],
): boolean => {
  const [slot, ...rest] = slots;
  if (slot === undefined) return absentPaths.every((path) => isAbsent(event, path, membership));
  for (const leaf of slot.candidates) {
    const merged = mergeMembership(membership, leaf.membership);
    if (merged !== undefined && search(event, rest, merged, absentPaths)) return true;
  }
  return slot.acceptsAbsence && search(event, rest, membership, [...absentPaths, slot.path]);
};

/**
 * True when every field of the branch is satisfied by leaves that never come from two different
 * elements of the same event array (event-ruler's "array consistency").
 */
export const matchesBranch = (branch: Branch, event: FlatEvent): boolean => {
  const slots = toSlots(branch, event);
  if (slots.some((slot) => slot.candidates.length === 0 && !slot.acceptsAbsence)) return false;
  return search(event, slots, new Map(), []);
};
