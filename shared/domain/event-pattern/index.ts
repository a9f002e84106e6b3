/**
 * EventBridge event-pattern matching, shared by routing rules, the local EventBridge endpoint and the
 * local Lambda filter criteria so that all three accept and match exactly the same patterns.
 *
 * AWS's event-ruler library is the reference where the User Guide is silent:
 * - keys are joined with '.', so `{"a.b": [..]}` equals `{"a": {"b": [..]}}` and also matches an event key "a.b";
 * - fields drawn from objects in one event array must come from the same element (array consistency);
 * - null is a value (exists:true holds, exists:false does not); objects and empty arrays are not values;
 * - anything-but never matches a missing field, and only excludes values of its own JSON type;
 * - numeric operands and compared event numbers must lie in -5.0e9..5.0e9 with at most six decimals;
 * - wildcards that MachineComplexityEvaluator scores above 10 make the rule "too complex", as AWS refuses them.
 *
 * Hostile input cannot exhaust the stack: patterns are size- and depth-checked before compiling, and events are
 * flattened iteratively, no deeper than the pattern's longest path.
 */
export { compileEventPattern, matchesEventPattern } from './event-pattern';
export type { EventPattern } from './event-pattern';
export { InvalidEventPatternError } from './invalid-event-pattern-error';
export { MAX_COMBINATIONS } from './compile-branches';
