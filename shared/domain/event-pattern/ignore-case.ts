// Case folding is done per code point, as event-ruler does, so "ǅ" and "ǆ" compare equal
// and a string never matches a pattern with a different number of characters.
const sameIgnoringCase = (left: string | undefined, right: string | undefined): boolean =>
  left !== undefined &&
  right !== undefined &&
  (left === right || left.toLowerCase() === right.toLowerCase() || left.toUpperCase() === right.toUpperCase());

const matchesFrom = (value: readonly string[], expected: readonly string[], offset: number): boolean =>
  expected.every((character, index) => sameIgnoringCase(value[offset + index], character));

/** True when `value` equals `expected` apart from letter case. */
export const equalsIgnoreCase = (value: string, expected: string): boolean => {
  const valueChars = Array.from(value);
  const expectedChars = Array.from(expected);
  return valueChars.length === expectedChars.length && matchesFrom(valueChars, expectedChars, 0);
};

/** True when `value` starts with `prefix` apart from letter case. */
export const startsWithIgnoreCase = (value: string, prefix: string): boolean => {
  const valueChars = Array.from(value);
  const prefixChars = Array.from(prefix);
  return valueChars.length >= prefixChars.length && matchesFrom(valueChars, prefixChars, 0);
};

/** True when `value` ends with `suffix` apart from letter case. */
export const endsWithIgnoreCase = (value: string, suffix: string): boolean => {
  const valueChars = Array.from(value);
  const suffixChars = Array.from(suffix);
  const offset = valueChars.length - suffixChars.length;
  return offset >= 0 && matchesFrom(valueChars, suffixChars, offset);
};
