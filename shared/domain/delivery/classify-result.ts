/** One PutEvents result entry, as the SDK returns it. */
export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

export type EntryOutcome =
  | { outcome: 'delivered'; busEventId: string }
  | { outcome: 'retry'; errorCode: string; errorMessage: string; mayHaveArrived?: boolean }
  | { outcome: 'park'; errorCode: string; errorMessage: string };

/** EventBridge documents these two per-entry codes as transient; every other code will fail again. */
const RETRYABLE_CODES = new Set(['InternalFailure', 'ThrottlingException']);

/** Classifies one PutEvents result entry: delivered, worth retrying, or to be parked with its reason. */
export const classifyEntryResult = (entry: PutEventsResultEntry | undefined): EntryOutcome => {
  if (!entry)
    return {
      outcome: 'retry',
      errorCode: 'MissingResult',
      errorMessage: 'PutEvents returned fewer results than entries',
    };
  if (entry.EventId && !entry.ErrorCode) return { outcome: 'delivered', busEventId: entry.EventId };
  const errorCode = entry.ErrorCode ?? 'UnknownError';
  const errorMessage = entry.ErrorMessage ?? 'no message';
  return RETRYABLE_CODES.has(errorCode)
    ? { outcome: 'retry', errorCode, errorMessage }
    : { outcome: 'park', errorCode, errorMessage };
};
