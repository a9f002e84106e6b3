import { isPlainObject } from './json-values';
import type { LeafValue } from './types';

/** Which element of each enclosing array a leaf came from, keyed by an id unique to that array. */
export type ArrayMembership = ReadonlyMap<number, number>;

/** One scalar found in the event, with the array elements that contain it. */
export interface EventLeaf {
  readonly value: LeafValue;
  readonly membership: ArrayMembership;
}

/** The event as dotted paths to every scalar beneath them; objects and arrays are never leaves. */
export type FlatEvent = ReadonlyMap<string, readonly EventLeaf[]>;

/** Says whether a dotted path is, or leads to, a path the pattern looks at. */
export type PathFilter = (path: string) => boolean;

/** How far flattening descends: object levels are bounded by the pattern, directly nested arrays by a constant. */
export interface FlattenLimits {
  readonly isRelevant: PathFilter;
  /** Object levels below the event root; a path of n dot-separated steps never needs more than n. */
  readonly maxDepth: number;
}

/**
 * Arrays directly inside arrays add no path step, so nothing in the pattern bounds them; leaves nested deeper
 * than this are ignored. Each level also copies the array membership, so the bound keeps that cost small too.
 */
export const MAX_NESTED_ARRAYS = 64;

interface Visit {
  readonly path: string;
  readonly value: unknown;
  readonly membership: ArrayMembership;
  readonly depth: number;
  readonly nestedArrays: number;
}

const isLeafValue = (value: unknown): value is LeafValue =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const addLeaf = (fields: Map<string, EventLeaf[]>, path: string, leaf: EventLeaf): void => {
  const leaves = fields.get(path);
  if (leaves === undefined) fields.set(path, [leaf]);
  else leaves.push(leaf);
};

// Like event-ruler, only objects and nested arrays record which element they sit in: scalars in one
// array all share its path, so they can never clash with another field's element.
const arrayChildren = (visit: Visit, elements: readonly unknown[], arrayId: number): Visit[] => {
  if (visit.nestedArrays >= MAX_NESTED_ARRAYS) return [];
  return elements.map((element, index) => {
    const isContainer = typeof element === 'object' && element !== null;
    const membership = isContainer ? new Map(visit.membership).set(arrayId, index) : visit.membership;
    return { ...visit, value: element, membership, nestedArrays: visit.nestedArrays + 1 };
  });
};

const objectChildren = (visit: Visit, node: Record<string, unknown>, limits: FlattenLimits): Visit[] => {
  if (visit.depth >= limits.maxDepth) return [];
  return Object.entries(node).flatMap(([key, child]) => {
    const path = visit.path === '' ? key : `${visit.path}.${key}`;
    if (!limits.isRelevant(path)) return [];
    return [{ path, value: child, membership: visit.membership, depth: visit.depth + 1, nestedArrays: 0 }];
  });
};

/**
 * Flattens a parsed JSON event, skipping subtrees the limits rule out and values that are not JSON. It walks with
 * an explicit stack, so no event, however deep, can exhaust the call stack.
 */
export const flattenEvent = (
  event: Record<string, unknown>,
  limits: FlattenLimits = { isRelevant: () => true, maxDepth: Number.POSITIVE_INFINITY },
): FlatEvent => {
  const fields = new Map<string, EventLeaf[]>();
  const pending: Visit[] = [{ path: '', value: event, membership: new Map(), depth: 0, nestedArrays: 0 }];
  let nextArrayId = 0;
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    const { value } = visit;
    let children: Visit[] = [];
    if (Array.isArray(value)) children = arrayChildren(visit, value, nextArrayId++);
    else if (isPlainObject(value)) children = objectChildren(visit, value, limits);
    else if (isLeafValue(value)) addLeaf(fields, visit.path, { value, membership: visit.membership });
    // Reversed so leaves are collected in document order, as the recursive walk did.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index] as Visit);
  }
  return fields;
};
