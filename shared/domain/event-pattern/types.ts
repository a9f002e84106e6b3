/** A JSON scalar as it appears at a leaf of an event. */
export type LeafValue = string | number | boolean | null;

/** Decides whether one leaf value of the event satisfies one matcher of the pattern. */
export type ValuePredicate = (value: LeafValue) => boolean;

/** One element of a pattern field's array, once compiled. */
export type CompiledMatcher =
  | { readonly kind: 'value'; readonly test: ValuePredicate }
  // `{"exists": false}` cannot be tested against a value: it holds when there is no value at all.
  | { readonly kind: 'absence' };

/** Everything a pattern field accepts: any leaf passing one of the predicates, or no leaf at all. */
export interface FieldCondition {
  readonly predicates: readonly ValuePredicate[];
  readonly acceptsAbsence: boolean;
}

/** One `$or`-free alternative of a pattern: every dotted path must be satisfied. */
export type Branch = ReadonlyMap<string, FieldCondition>;
