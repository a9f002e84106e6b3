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

interface Collector {
  readonly fields: Map<string, EventLeaf[]>;
  readonly isRelevant: PathFilter;
  nextArrayId: number;
}

const isLeafValue = (value: unknown): value is LeafValue =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const addLeaf = (collector: Collector, path: string, leaf: EventLeaf): void => {
  const leaves = collector.fields.get(path);
  if (leaves === undefined) collector.fields.set(path, [leaf]);
  else leaves.push(leaf);
};

const visit = (collector: Collector, path: string, value: unknown, membership: ArrayMembership): void => {
  if (Array.isArray(value)) {
    const arrayId = collector.nextArrayId++;
    // Like event-ruler, only objects and nested arrays record which element they sit in: scalars in one
    // array all share its path, so they can never clash with another field's element.
    value.forEach((element, index) => {
      const isContainer = typeof element === 'object' && element !== null;
      visit(collector, path, element, isContainer ? new Map(membership).set(arrayId, index) : membership);
    });
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (collector.isRelevant(childPath)) visit(collector, childPath, child, membership);
    }
  } else if (isLeafValue(value)) {
    addLeaf(collector, path, { value, membership });
  }
};

/** Flattens a parsed JSON event, skipping subtrees the filter rules out and values that are not JSON. */
export const flattenEvent = (event: Record<string, unknown>, isRelevant: PathFilter = () => true): FlatEvent => {
  const collector: Collector = { fields: new Map(), isRelevant, nextArrayId: 0 };
  visit(collector, '', event, new Map());
  return collector.fields;
};
