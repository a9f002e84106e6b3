import { measureJson } from '../json-shape';
import { InvalidEventPatternError, rejectPattern } from './invalid-event-pattern-error';
import { isPlainObject } from './json-values';

/**
 * A pattern is a small document: AWS caps it at 4096 characters, which cannot nest more than about 700 levels.
 * These bounds sit well above anything AWS accepts and only keep hostile input from exhausting the stack or memory;
 * the APIs that carry AWS's own size limit (PutRule, TestEventPattern) still enforce it first.
 */
export const PATTERN_LIMITS = { maxDepth: 1000, maxBytes: 65_536 } as const;

const parseJson = (text: string): unknown => {
  if (text.length > PATTERN_LIMITS.maxBytes) rejectPattern(`Pattern is larger than ${PATTERN_LIMITS.maxBytes} bytes`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidEventPatternError(`Malformed JSON: ${detail}`, { cause: error });
  }
};

const REASONS = {
  'too-deep': `Pattern is nested deeper than ${PATTERN_LIMITS.maxDepth} levels`,
  oversized: `Pattern is larger than ${PATTERN_LIMITS.maxBytes} bytes`,
  'not-json': 'Pattern is not JSON',
} as const;

// Compiling walks the pattern recursively, so its shape is checked first by a walk that cannot overflow.
const requireSmallDocument = (pattern: unknown): void => {
  const shape = measureJson(pattern, PATTERN_LIMITS);
  if (!shape.ok)
    rejectPattern(shape.reason === 'not-json' ? `${REASONS['not-json']}: ${shape.message}` : REASONS[shape.reason]);
};

/** Accepts a pattern as JSON text or as an already-parsed object, and returns the top-level object. */
export const parsePatternInput = (pattern: string | object): Record<string, unknown> => {
  const parsed = typeof pattern === 'string' ? parseJson(pattern) : pattern;
  requireSmallDocument(parsed);
  return isPlainObject(parsed) ? parsed : rejectPattern('Filter is not an object');
};
