import { rejectPattern } from './invalid-event-pattern-error';

/** A wildcard pattern as the literal runs between its `*` characters (escapes already resolved). */
export interface WildcardPattern {
  readonly literals: readonly string[];
}

const utf8Length = (text: string): number =>
  Array.from(text).reduce((length, character) => {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x80) return length + 1;
    if (codePoint < 0x800) return length + 2;
    return length + (codePoint < 0x10000 ? 3 : 4);
  }, 0);

// AWS reports the UTF-8 byte offset inside the quoted value, hence the +1 for the opening quote.
const positionOf = (text: string, index: number): number => utf8Length(text.slice(0, index)) + 1;

/** Parses a wildcard value, rejecting `**` and backslashes that escape anything but `*` or `\`. */
export const parseWildcard = (text: string): WildcardPattern => {
  const literals: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (character === '*') {
      if (text[index + 1] === '*') rejectPattern(`Consecutive wildcard characters at pos ${positionOf(text, index)}`);
      literals.push(current);
      current = '';
    } else if (character === '\\') {
      const escaped = text[index + 1];
      if (escaped !== '*' && escaped !== '\\')
        rejectPattern(`Invalid escape character at pos ${positionOf(text, index)}`);
      current += escaped;
      index += 1;
    } else {
      current += character;
    }
  }
  literals.push(current);
  return { literals };
};

/** True when `value` matches the wildcard pattern, `*` standing for any run of characters. */
export const matchesWildcard = (pattern: WildcardPattern, value: string): boolean => {
  const { literals } = pattern;
  const first = literals[0] ?? '';
  if (literals.length === 1) return value === first;
  const last = literals[literals.length - 1] ?? '';
  const end = value.length - last.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  // With `*` as the only metacharacter, taking each middle literal at its leftmost fit is never wrong.
  let cursor = first.length;
  for (const literal of literals.slice(1, -1)) {
    const found = value.indexOf(literal, cursor);
    if (found < 0 || found + literal.length > end) return false;
    cursor = found + literal.length;
  }
  return true;
};
