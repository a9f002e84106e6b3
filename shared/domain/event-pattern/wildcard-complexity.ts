/**
 * event-ruler's MachineComplexityEvaluator, restated: a field's wildcard patterns form one byte machine, and its
 * complexity is the largest number of wildcard "rule prefixes" a single input value can keep alive at once.
 * Reading a value, each pattern is at every prefix of itself that the bytes read so far could match: the position
 * after a `*` stays alive on any byte, and a position just before a `*` also stands at the `*` itself. So after
 * `"aa` the pattern `"a*a*"` holds `"a*`, `"a*a` and `"a*a*` (3), and `"*.png"` holds `"*` (1).
 */

/** A byte of the value, or STAR for a `*` of the pattern. */
export type WildcardToken = number;
export const STAR: WildcardToken = -1;

// A byte that no pattern spells, standing for every byte without a literal transition.
const ANY_OTHER_BYTE = -2;

/** Stops a search whose state sets keep multiplying; it can only happen to patterns far past AWS's size limit. */
export const MAX_EXPLORED_STATES = 100_000;

const encoder = new TextEncoder();

/** Turns the literal runs between `*` characters into machine tokens: UTF-8 bytes, STAR between runs. */
export const toWildcardTokens = (literals: readonly string[]): WildcardToken[] =>
  literals.flatMap((literal, index) => [...(index > 0 ? [STAR] : []), ...encoder.encode(literal)]);

interface Machine {
  readonly tokens: readonly (readonly WildcardToken[])[];
  readonly alphabet: readonly number[];
}

// A position is [pattern, tokens consumed]; packed into one number so a set of them is a cheap key.
const STRIDE = 1 << 20;
const pack = (pattern: number, consumed: number): number => pattern * STRIDE + consumed;

// Standing just before a `*` means standing after it too: the `*` may match nothing.
const addWithEmptyStars = (positions: Set<number>, machine: Machine, pattern: number, consumed: number): void => {
  const tokens = machine.tokens[pattern] ?? [];
  let at = consumed;
  positions.add(pack(pattern, at));
  while (tokens[at] === STAR) positions.add(pack(pattern, (at += 1)));
};

const step = (machine: Machine, positions: readonly number[], byte: number): number[] => {
  const next = new Set<number>();
  for (const position of positions) {
    const pattern = Math.floor(position / STRIDE);
    const consumed = position % STRIDE;
    const tokens = machine.tokens[pattern] ?? [];
    if (consumed > 0 && tokens[consumed - 1] === STAR) next.add(position);
    if (tokens[consumed] === byte) addWithEmptyStars(next, machine, pattern, consumed + 1);
  }
  return [...next].sort((left, right) => left - right);
};

// The start of a pattern (nothing consumed) is not a rule prefix, as event-ruler does not count its start state.
const weigh = (positions: readonly number[]): number => positions.filter((position) => position % STRIDE > 0).length;

/**
 * The complexity of one field's wildcard patterns (token lists, see toWildcardTokens), searched over every value
 * the patterns can tell apart; the search stops once it passes `limit` and returns what it reached by then.
 */
export const measureWildcardComplexity = (patterns: readonly (readonly WildcardToken[])[], limit: number): number => {
  const literalBytes = new Set(patterns.flat().filter((token) => token !== STAR));
  const machine: Machine = { tokens: patterns, alphabet: [...literalBytes, ANY_OTHER_BYTE] };
  const start = new Set<number>();
  patterns.forEach((_, pattern) => addWithEmptyStars(start, machine, pattern, 0));
  const pending = [[...start].sort((left, right) => left - right)];
  const seen = new Set<string>(pending.map((positions) => positions.join(',')));
  let highest = weigh(pending[0] ?? []);
  for (let positions = pending.pop(); positions !== undefined; positions = pending.pop()) {
    for (const byte of machine.alphabet) {
      const next = step(machine, positions, byte);
      const key = next.join(',');
      if (next.length === 0 || seen.has(key)) continue;
      highest = Math.max(highest, weigh(next));
      if (highest > limit || seen.size >= MAX_EXPLORED_STATES) return Math.max(highest, limit + 1);
      seen.add(key);
      pending.push(next);
    }
  }
  return highest;
};
