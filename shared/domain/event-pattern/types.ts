/** A JSON scalar as it appears at a leaf of an event. */
export type LeafValue = string | number | boolean | null;

/** Decides whether one leaf value of the event satisfies one matcher of the pattern. */
export type ValuePredicate = (value: LeafValue) => boolean;

/** One element of a pattern field's array, once compiled. */
export type CompiledMatcher =
  | { readonly kind: 'value'; readonly test: ValuePredicate }
  // `{"exists": false}` cannot be tested against a value: it holds when there is no value at all.
  | { readonly kind: 'absence' };

/** How event-ruler would file one element of a field's array: what makes it distinct, and any wildcards it holds. */
export interface PatternTerm {
  /** Equal for elements event-ruler treats as the same pattern (so `5` and `5.0` are one). */
  readonly identity: string;
  /** `{"exists": false}`: event-ruler keeps it apart from the value matchers. */
  readonly absent: boolean;
  /** The wildcard texts the element holds: one for `wildcard`, any number for `anything-but` over wildcards. */
  readonly wildcards: readonly WildcardValue[];
}

/** One wildcard text as a pattern holds it, with the operator it came from. */
export interface WildcardValue {
  readonly operator: 'wildcard' | 'anything-but-wildcard';
  readonly text: string;
}

/** Everything a pattern field accepts: any leaf passing one of the predicates, or no leaf at all. */
export interface FieldCondition {
  readonly predicates: readonly ValuePredicate[];
  readonly acceptsAbsence: boolean;
  /** The field's elements in pattern order, for the wildcard complexity check. */
  readonly terms: readonly PatternTerm[];
}

/** One `$or`-free alternative of a pattern: every dotted path must be satisfied. */
export type Branch = ReadonlyMap<string, FieldCondition>;
