import { compileBranches } from './compile-branches';
import { flattenEvent } from './flatten-event';
import { isPlainObject } from './json-values';
import { matchesBranch } from './match-branch';
import { parsePatternInput } from './parse-pattern';

/** A validated EventBridge event pattern, ready to test events against. */
export interface EventPattern {
  /** True when the parsed JSON event matches; anything other than a JSON object never matches. */
  matches(event: unknown): boolean;
}

/** Validates and compiles an EventBridge event pattern; throws InvalidEventPatternError when AWS would reject it. */
export const compileEventPattern = (pattern: string | object): EventPattern => {
  const branches = compileBranches(parsePatternInput(pattern));
  return Object.freeze({
    matches: (event: unknown): boolean => {
      if (!isPlainObject(event)) return false;
      const flat = flattenEvent(event);
      return branches.some((branch) => matchesBranch(branch, flat));
    },
  });
};

/** Compiles the pattern and tests one event; prefer compileEventPattern when a pattern is reused. */
export const matchesEventPattern = (pattern: string | object, event: unknown): boolean =>
  compileEventPattern(pattern).matches(event);
