import { isRecord } from './dynamo-call';

/** Read and write capacity units one request consumed on one table. */
export interface TableCapacity {
  readCapacityUnits: number;
  writeCapacityUnits: number;
}

/** The DynamoDB operations that accept ReturnConsumedCapacity. */
export const CAPACITY_OPERATIONS: ReadonlySet<string> = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/** True when the caller asked for ConsumedCapacity itself, so the proxy must leave it in the answer. */
export const callerWantsCapacity = (json: Record<string, unknown> | undefined): boolean =>
  json?.ReturnConsumedCapacity === 'TOTAL' || json?.ReturnConsumedCapacity === 'INDEXES';

/**
 * Adds `"ReturnConsumedCapacity":"TOTAL"` to a request that has no such key, by splicing it in
 * before the closing brace: the rest of the body goes through byte for byte, which matters for
 * multi-megabyte BatchWriteItem bodies. Returns undefined when splicing is not possible.
 */
export const spliceCapacityRequest = (body: Buffer, json: Record<string, unknown>): Buffer | undefined => {
  if ('ReturnConsumedCapacity' in json) return undefined;
  const close = body.lastIndexOf('}');
  if (close < 0) return undefined;
  const field = `${Object.keys(json).length > 0 ? ',' : ''}"ReturnConsumedCapacity":"TOTAL"`;
  return Buffer.concat([body.subarray(0, close), Buffer.from(field), body.subarray(close)]);
};

/**
 * Reads ConsumedCapacity (one object, or one per table for batch and transaction operations)
 * into read/write units per table. TOTAL mode reports only CapacityUnits, so the operation
 * decides which side they count on; PartiQL decides by its statement.
 */
export const readConsumedCapacity = (
  operation: string,
  request: Record<string, unknown> | undefined,
  response: Record<string, unknown>,
): Map<string, TableCapacity> => {
  const consumed = response.ConsumedCapacity;
  const entries = (Array.isArray(consumed) ? consumed : [consumed]).filter(isRecord);
  const reads = isReadOperation(operation, request);
  const byTable = new Map<string, TableCapacity>();
  for (const entry of entries) {
    const table = typeof entry.TableName === 'string' ? entry.TableName : '';
    const units = numberOr(entry.CapacityUnits, 0);
    const read = numberOr(entry.ReadCapacityUnits, reads ? units : 0);
    const write = numberOr(entry.WriteCapacityUnits, reads ? 0 : units);
    const total = byTable.get(table) ?? { readCapacityUnits: 0, writeCapacityUnits: 0 };
    byTable.set(table, {
      readCapacityUnits: total.readCapacityUnits + read,
      writeCapacityUnits: total.writeCapacityUnits + write,
    });
  }
  return byTable;
};

const isReadOperation = (operation: string, request: Record<string, unknown> | undefined): boolean => {
  if (READ_OPERATIONS.has(operation)) return true;
  if (operation !== 'ExecuteStatement') return false;
  return typeof request?.Statement === 'string' && /^\s*SELECT\b/i.test(request.Statement);
};

const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
