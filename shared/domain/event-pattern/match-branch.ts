import type { ArrayMembership, EventLeaf, FlatEvent } from './flatten-event';
import { indexLeaves, leavesWithin, type LeafIndex } from './leaf-index';
import type { Branch } from './types';

interface Slot {
  readonly candidates: LeafIndex;
  // Set only for fields that accept `{"exists": false}`: every leaf at the path, matching or not.
  readonly presence?: LeafIndex;
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

interface Field {
  readonly leaves: readonly EventLeaf[];
  readonly candidates: readonly EventLeaf[];
  readonly acceptsAbsence: boolean;
}

const toFields = (branch: Branch, event: FlatEvent): Field[] =>
  [...branch].map(([path, condition]) => {
    const leaves = event.get(path) ?? [];
    const candidates = leaves.filter((leaf) => condition.predicates.some((test) => test(leaf.value)));
    return { leaves, candidates, acceptsAbsence: condition.acceptsAbsence };
  });

const toSlot = ({ leaves, candidates, acceptsAbsence }: Field): Slot =>
  acceptsAbsence
    ? { candidates: indexLeaves(candidates), presence: indexLeaves(leaves) }
    : { candidates: indexLeaves(candidates) };

// exists:false holds when no leaf at the path could sit beside the leaves already chosen: a sibling
// array element that has the field does not make it "present" for this one, as in event-ruler.
const isAbsent = (presence: LeafIndex, membership: ArrayMembership): boolean =>
  !leavesWithin(presence, membership).some((leaf) => mergeMembership(membership, leaf.membership) !== undefined);

const search = (slots: readonly Slot[], membership: ArrayMembership, absences: readonly LeafIndex[]): boolean => {
  const [slot, ...rest] = slots;
  if (slot === undefined) return absences.every((presence) => isAbsent(presence, membership));
  for (const leaf of leavesWithin(slot.candidates, membership)) {
    const merged = mergeMembership(membership, leaf.membership);
    if (merged !== undefined && search(rest, merged, absences)) return true;
  }
  return slot.presence !== undefined && search(rest, membership, [...absences, slot.presence]);
};

/**
 * True when every field of the branch is satisfied by leaves that never come from two different
 * elements of the same event array (event-ruler's "array consistency").
 */
export const matchesBranch = (branch: Branch, event: FlatEvent): boolean => {
  const fields = toFields(branch, event);
  if (fields.some((field) => field.candidates.length === 0 && !field.acceptsAbsence)) return false;
  // Trying the most selective fields first keeps the backtracking search short.
  const slots = fields.sort((left, right) => left.candidates.length - right.candidates.length).map(toSlot);
  return search(slots, new Map(), []);
};
