import { rejectPattern } from './invalid-event-pattern-error';
import type { Branch, PatternTerm } from './types';
import { parseWildcard } from './wildcard';
import { measureWildcardComplexity, toWildcardTokens, type WildcardToken } from './wildcard-complexity';

/**
 * The most wildcard rule prefixes one value may keep alive in a field's byte machine before AWS refuses the rule.
 * AWS publishes no number. event-ruler's README suggests 10 per rule, and public reports of rules AWS accepted
 * (complexity 8 and 9 by this evaluation) and refused (12 and 16) agree with 10: they only allow 9, 10 or 11.
 */
export const MAX_WILDCARD_COMPLEXITY = 10;

/** The reason text AWS gives, verbatim. */
export const TOO_COMPLEX_REASON =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/** event-ruler's NameState: where a rule stands after matching the fields before it, with one machine per field. */
interface NameNode {
  readonly fields: Map<string, FieldMachine>;
}

interface FieldMachine {
  // Keyed by operator and text: the same wildcard twice is one pattern, as in event-ruler.
  readonly wildcards: Map<string, readonly WildcardToken[]>;
  readonly next: Map<string, NameNode>;
  // event-ruler keeps `exists: false` in a separate matcher whose next states it never evaluates.
  readonly evaluated: Set<NameNode>;
}

const newNode = (): NameNode => ({ fields: new Map() });

// Values are matched inside quotes, so the machine walks `"a*b"`, not `a*b`.
const quotedTokens = (text: string): WildcardToken[] => {
  const literals = [...parseWildcard(text).literals];
  literals[0] = `"${literals[0] ?? ''}`;
  literals[literals.length - 1] = `${literals[literals.length - 1] ?? ''}"`;
  return toWildcardTokens(literals);
};

const machineFor = (node: NameNode, path: string): FieldMachine => {
  const existing = node.fields.get(path);
  if (existing !== undefined) return existing;
  const machine: FieldMachine = { wildcards: new Map(), next: new Map(), evaluated: new Set() };
  node.fields.set(path, machine);
  return machine;
};

// As GenericMachine.addStep: a pattern already in the machine keeps its next state; new ones share the last one.
const addField = (node: NameNode, path: string, terms: readonly PatternTerm[]): NameNode[] => {
  const machine = machineFor(node, path);
  const reached = new Set<NameNode>();
  let last: NameNode | undefined;
  for (const term of terms) {
    for (const { operator, text } of term.wildcards) machine.wildcards.set(`${operator}:${text}`, quotedTokens(text));
    last = machine.next.get(term.identity) ?? last ?? newNode();
    machine.next.set(term.identity, last);
    reached.add(last);
    if (!term.absent) machine.evaluated.add(last);
  }
  return [...reached];
};

const hasWildcard = (branch: Branch): boolean =>
  [...branch.values()].some((condition) => condition.terms.some((term) => term.wildcards.length > 0));

// Like event-ruler's rule validation: only the alternatives holding a wildcard go into the machine, keys sorted.
const buildMachine = (branches: readonly Branch[]): NameNode => {
  const root = newNode();
  for (const branch of branches.filter(hasWildcard)) {
    let nodes = [root];
    for (const [path, condition] of [...branch].sort(([left], [right]) => (left < right ? -1 : 1))) {
      nodes = [...new Set(nodes.flatMap((node) => addField(node, path, condition.terms)))];
    }
  }
  return root;
};

/** The machine's complexity: the largest of its field machines', capped just past MAX_WILDCARD_COMPLEXITY. */
export const evaluatePatternComplexity = (branches: readonly Branch[]): number => {
  const pending = [buildMachine(branches)];
  const seen = new Set(pending);
  let highest = 0;
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    for (const machine of node.fields.values()) {
      const patterns = [...machine.wildcards.values()];
      if (patterns.length > 0)
        highest = Math.max(highest, measureWildcardComplexity(patterns, MAX_WILDCARD_COMPLEXITY));
      if (highest > MAX_WILDCARD_COMPLEXITY) return highest;
      const unseen = [...machine.evaluated].filter((next) => !seen.has(next));
      unseen.forEach((next) => seen.add(next));
      pending.push(...unseen);
    }
  }
  return highest;
};

/** Refuses, with AWS's reason, a pattern whose wildcards AWS would call too complex. */
export const assertWildcardComplexity = (branches: readonly Branch[]): void => {
  if (evaluatePatternComplexity(branches) > MAX_WILDCARD_COMPLEXITY) rejectPattern(TOO_COMPLEX_REASON);
};
