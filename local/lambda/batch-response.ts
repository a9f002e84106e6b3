/** How one invocation of a stream batch ended, judged by AWS's partial batch response rules (§5). */
export type BatchOutcome =
  | { kind: 'success' }
  /** Records before `failedIndex` are done; retry from it (the lowest reported sequence number). */
  | { kind: 'partial'; failedIndex: number }
  | { kind: 'failure'; errorType: string; errorMessage: string; functionError: boolean };

const invalidResponse = (reason: string): BatchOutcome => ({
  kind: 'failure',
  errorType: 'InvalidBatchItemFailure',
  errorMessage: reason,
  functionError: false,
});

/**
 * Interprets a handler's result under ReportBatchItemFailures: an empty or absent list is full
 * success; an identifier that is empty or names no record of the batch fails the whole batch;
 * otherwise processing resumes at the earliest failed record.
 */
export const interpretBatchResponse = (result: unknown, sequenceNumbers: readonly string[]): BatchOutcome => {
  if (typeof result !== 'object' || result === null) return { kind: 'success' };
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return { kind: 'success' };
  let failedIndex = sequenceNumbers.length;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === 'string' && id !== '' ? sequenceNumbers.indexOf(id) : -1;
    if (index < 0) return invalidResponse(`itemIdentifier ${JSON.stringify(id)} names no record of the batch`);
    failedIndex = Math.min(failedIndex, index);
  }
  return { kind: 'partial', failedIndex };
};
