import { InvalidArgumentError } from 'commander';

/** A whole number ≥ 1 (versions, limits, pages). */
export const positiveInt = (text: string): number => {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError('must be a whole number of at least 1.');
  }
  return value;
};

/** A point in time as ISO 8601 (`2026-11-30T12:00:00Z`, or a day), passed on normalised to UTC. */
export const isoTime = (text: string): string => {
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError('must be an ISO 8601 time such as 2026-11-30T12:00:00Z.');
  }
  return at.toISOString();
};

/** A UTC day, `YYYY-MM-DD`. */
export const utcDay = (text: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(new Date(`${text}T00:00:00Z`).getTime())) {
    throw new InvalidArgumentError('must be a UTC day such as 2026-11-30.');
  }
  return text;
};

/** A comma-separated list, e.g. `us-east-1,eu-west-1`. */
export const commaList = (text: string): string[] => {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('must name at least one value.');
  return items;
};

/** Collects a repeatable option (`--event-id a --event-id b`) into a list. */
export const collect = (text: string, previous: string[] = []): string[] => [...previous, text];

/** The values of a key as JSON: `'["c-1", 3]'` or one value (`'"o-1"'`, `o-1`, `7`); numbers stay numbers. */
export const keyValues = (text: string): Array<string | number> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  const values = Array.isArray(parsed) ? parsed : [parsed];
  if (values.length === 0 || !values.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw new InvalidArgumentError('must be a JSON array of strings and numbers, e.g. \'["c-1", 3]\'.');
  }
  return values as Array<string | number>;
};
