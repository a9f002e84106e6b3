import { constraintError, serializationError, validationError } from './errors';
import { PATTERNS, readString, type JsonObject } from './request-fields';

/** One PutEvents entry after type checks; presence is checked per entry, as AWS does. */
export interface PutEventsEntry {
  source?: string;
  detailType?: string;
  detail?: string;
  resources: string[];
  eventBusName?: string;
  time?: Date;
  traceHeader?: string;
}

/** A per-entry failure: HTTP 200, counted in FailedEntryCount. */
export interface EntryError {
  ErrorCode: string;
  ErrorMessage: string;
}

/** Reads `Entries`, rejecting the whole request when the list breaks the model. */
export const readEntries = (input: JsonObject): PutEventsEntry[] => {
  const raw = input.Entries;
  if (raw === undefined || raw === null) throw constraintError(null, 'entries', 'Member must not be null');
  if (!Array.isArray(raw)) throw serializationError('Entries must be a list.');
  const entries = raw.map((item, index) => readEntry(item, `entries.${index + 1}.member.`));
  if (entries.length < 1) throw constraintError('[]', 'entries', 'Member must have length greater than or equal to 1');
  if (entries.length > 10) {
    throw validationError(
      `1 validation error detected: Value '[${entries.map(renderJavaEntry).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
  }
  return entries;
};

const readEntry = (item: unknown, prefix: string): PutEventsEntry => {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw serializationError('Each entry must be a structure.');
  const entry = item as JsonObject;
  return {
    source: readString(entry, 'Source', {}, prefix),
    detailType: readString(entry, 'DetailType', {}, prefix),
    detail: readString(entry, 'Detail', {}, prefix),
    resources: readResources(entry, prefix),
    eventBusName: readString(entry, 'EventBusName', { min: 1, max: 1600, pattern: PATTERNS.putEventsBus }, prefix),
    time: readTime(entry.Time),
    traceHeader: readString(entry, 'TraceHeader', { min: 1, max: 500 }, prefix),
  };
};

const readResources = (entry: JsonObject, prefix: string): string[] => {
  const raw = entry.Resources;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((r) => typeof r !== 'string'))
    throw serializationError('Resources must be a list of strings.');
  const tooLong = (raw as string[]).find((r) => r.length > 2048);
  if (tooLong !== undefined)
    throw constraintError(tooLong, `${prefix}resources`, 'Member must have length less than or equal to 2048');
  return raw as string[];
};

/** The SDK sends epoch seconds, possibly fractional. */
const readTime = (raw: unknown): Date | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'number' || !Number.isFinite(raw))
    throw serializationError('Time must be a timestamp in epoch seconds.');
  return new Date(Math.round(raw * 1000));
};

/** Entry size per the User Guide: 14 bytes for Time, plus UTF-8 bytes of Source, DetailType, Detail and Resources. */
export const entrySize = (entry: PutEventsEntry): number =>
  (entry.time ? 14 : 0) +
  utf8(entry.source) +
  utf8(entry.detailType) +
  utf8(entry.detail) +
  entry.resources.reduce((sum, r) => sum + utf8(r), 0);

/** Rejects the request when the entries together exceed the bus's payload limit. */
export const assertTotalSize = (entries: readonly PutEventsEntry[], maxBytes: number): void => {
  const total = entries.reduce((sum, e) => sum + entrySize(e), 0);
  if (total > maxBytes) throw validationError('Total size of the entries in the request is over the limit.');
};

/**
 * The first per-entry fault in the order LocalStack and moto use (AWS was only observed
 * with one fault at a time): Source, DetailType, Detail presence, Detail is a JSON object.
 */
export const checkEntry = (entry: PutEventsEntry): { error: EntryError } | { detail: Record<string, unknown> } => {
  if (!entry.source) return { error: invalidArgument('Source') };
  if (!entry.detailType) return { error: invalidArgument('DetailType') };
  if (entry.detail === undefined) return { error: invalidArgument('Detail') };
  const detail = parseObject(entry.detail);
  return detail ? { detail } : { error: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } };
};

const invalidArgument = (field: string): EntryError => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
});

const parseObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

const utf8 = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

/** Java's `PutEventsRequestEntry.toString()`, which AWS embeds in the too-many-entries message. */
const renderJavaEntry = (e: PutEventsEntry): string =>
  `PutEventsRequestEntry(time=${e.time ? javaDate(e.time) : 'null'}, source=${e.source ?? 'null'}, resources=${
    e.resources.length ? `[${e.resources.join(', ')}]` : 'null'
  }, detailType=${e.detailType ?? 'null'}, detail=${e.detail ?? 'null'}, eventBusName=${e.eventBusName ?? 'null'}, traceHeader=${
    e.traceHeader ?? 'null'
  }, kmsKeyIdentifier=null, internalMetadata=null)`;

/** `java.util.Date.toString()` in UTC, e.g. `Thu Jan 01 00:00:00 UTC 2026`. */
const javaDate = (d: Date): string => {
  const [weekday = '', day = '', month = '', year = '', clock = ''] = d.toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${day} ${clock} UTC ${year}`;
};
