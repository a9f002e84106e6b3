import { InvalidEventPatternError, rejectPattern } from './invalid-event-pattern-error';
import { isPlainObject } from './json-values';

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidEventPatternError(`Malformed JSON: ${detail}`, { cause: error });
  }
};

/** Accepts a pattern as JSON text or as an already-parsed object, and returns the top-level object. */
export const parsePatternInput = (pattern: string | object): Record<string, unknown> => {
  const parsed = typeof pattern === 'string' ? parseJson(pattern) : pattern;
  return isPlainObject(parsed) ? parsed : rejectPattern('Filter is not an object');
};
