/** True for a JSON object (not an array, not null, not a class instance such as Date). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

/** Renders a pattern token the way AWS quotes it in a reason: raw text, or the bracket that opens it. */
export const describeToken = (value: unknown): string => {
  if (value === undefined) return ']';
  if (Array.isArray(value)) return '[';
  if (typeof value === 'object' && value !== null) return '{';
  if (typeof value === 'string') return value;
  return String(value);
};
