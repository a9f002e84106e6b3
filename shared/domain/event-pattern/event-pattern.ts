import { compileBranches } from './compile-branches';
import { assertWildcardComplexity } from './pattern-complexity';
import { flattenEvent, type FlattenLimits } from './flatten-event';
import { isPlainObject } from './json-values';
import { matchesBranch } from './match-branch';
import { parsePatternInput } from './parse-pattern';
import type { Branch } from './types';

/** A validated EventBridge event pattern, ready to test events against. */
export interface EventPattern {
  /** True when the parsed JSON event matches; anything other than a JSON object never matches. */
  matches(event: unknown): boolean;
}

// A joined path only ever grows by ".step", so only dot-prefixes of pattern paths can lead to them, and no
// object deeper than the longest path's step count can hold a leaf the pattern reads. Skipping everything else
// keeps matching cheap on large events, as event-ruler does, and bounds the walk on hostile ones.
const flattenLimits = (branches: readonly Branch[]): FlattenLimits => {
  const prefixes = new Set<string>();
  let maxDepth = 0;
  for (const path of branches.flatMap((branch) => [...branch.keys()])) {
    const steps = path.split('.');
    steps.forEach((_, index) => prefixes.add(steps.slice(0, index + 1).join('.')));
    maxDepth = Math.max(maxDepth, steps.length);
  }
  return { isRelevant: (path) => prefixes.has(path), maxDepth };
};

/** Validates and compiles an EventBridge event pattern; throws InvalidEventPatternError when AWS would reject it. */
export const compileEventPattern = (pattern: string | object): EventPattern => {
  const branches = compileBranches(parsePatternInput(pattern));
  assertWildcardComplexity(branches);
  const limits = flattenLimits(branches);
  return Object.freeze({
    matches: (event: unknown): boolean => {
      if (!isPlainObject(event)) return false;
      const flat = flattenEvent(event, limits);
      return branches.some((branch) => matchesBranch(branch, flat));
    },
  });
};

/** Compiles the pattern and tests one event; prefer compileEventPattern when a pattern is reused. */
export const matchesEventPattern = (pattern: string | object, event: unknown): boolean =>
  compileEventPattern(pattern).matches(event);
