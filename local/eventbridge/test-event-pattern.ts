import { validationError } from './errors';
import type { Operation } from './operation';
import { readString } from './request-fields';
import { compilePattern } from './rule-operations';

const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

/** `AWSEvents.TestEventPattern`: the same matcher PutRule compiles with, against a caller-supplied event. */
export const testEventPattern: Operation = (input) => {
  const patternText = readString(input, 'EventPattern', { required: true, max: 4096 }) ?? '';
  const event = parseEvent(readString(input, 'Event', { required: true }) ?? '');
  return { Result: compilePattern(patternText).matches(event) };
};

/** AWS wants a JSON object carrying the envelope's identifying fields; `resources` may be absent. */
const parseEvent = (text: string): Record<string, unknown> => {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw validationError('Parameter Event is not valid.');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw validationError('Parameter Event is not valid.');
  const record = event as Record<string, unknown>;
  if (REQUIRED_EVENT_FIELDS.some((field) => record[field] === undefined))
    throw validationError('Parameter Event is not valid.');
  return record;
};
