import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { WriteAck } from '../domain/ownership/quorum';
import { QuorumRequestRejectedError } from '../domain/ownership/ownership-errors';
import { errorCodeOf, isConditionalCheckFailed, isRetryableAwsError } from './aws-errors';

/** The coord tables of every region, and how long one region may take before it counts as no answer. */
export interface QuorumTables {
  clients: ReadonlyMap<string, DynamoDBDocumentClient>;
  tableName: string;
  regionTimeoutMs: number;
}

/** One region's answer to a read, kept for diagnostics: its value, or why it gave none. */
export type RegionReadReply<T> =
  { region: string; answer: 'value'; value: T | undefined } | { region: string; answer: 'none'; errorCode: string };

/** One region's answer to a conditional write: accepted, refused with the item that refused it, or none. */
export type RegionWriteReply<T> =
  | { region: string; answer: 'accepted' }
  | { region: string; answer: 'refused'; existing: T | undefined }
  | { region: string; answer: 'none'; errorCode: string };

/** A condition expression with exactly the names and values it uses (DynamoDB rejects unused ones). */
export interface Condition {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** Joins named condition parts; each part is parenthesised so the protocol reads as written. */
export const anyOf = (...parts: string[]): string => parts.map((part) => `(${part})`).join(' OR ');
export const allOf = (...parts: string[]): string => parts.map((part) => `(${part})`).join(' AND ');

type Failure = { failed: true; errorCode: string; retryable: boolean };

/** Runs `call` against every region at once; a region that errs or is slower than the timeout gives no answer. */
const callEveryRegion = async <T>(
  tables: QuorumTables,
  operation: string,
  call: (client: DynamoDBDocumentClient, abortSignal: AbortSignal) => Promise<T>,
): Promise<Array<{ region: string; result: T | Failure }>> => {
  const replies = await Promise.all(
    [...tables.clients].map(async ([region, client]) => ({ region, result: await withTimeout(tables, client, call) })),
  );
  const failures = replies.map((reply) => reply.result).filter(isFailure);
  // Every region refusing the request itself (validation, missing table) is a bug, not an outage.
  if (replies.length > 0 && failures.length === replies.length && failures.every((failure) => !failure.retryable))
    throw new QuorumRequestRejectedError(
      operation,
      Object.fromEntries(replies.map(({ region, result }) => [region, (result as Failure).errorCode])),
    );
  return replies;
};

const isFailure = (result: unknown): result is Failure =>
  typeof result === 'object' && result !== null && (result as Failure).failed === true;

const withTimeout = async <T>(
  tables: QuorumTables,
  client: DynamoDBDocumentClient,
  call: (client: DynamoDBDocumentClient, abortSignal: AbortSignal) => Promise<T>,
): Promise<T | Failure> => {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Racing as well as aborting: the SDK does not abort its own retry back-off, and a region must not hold up the round.
  const timedOut = new Promise<Failure>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ failed: true, errorCode: 'RegionTimeout', retryable: true });
    }, tables.regionTimeoutMs);
  });
  try {
    return await Promise.race([call(client, controller.signal), timedOut]);
  } catch (error) {
    return { failed: true, errorCode: errorCodeOf(error), retryable: isRetryableAwsError(error) };
  } finally {
    clearTimeout(timer);
  }
};

/** Reads one item from every region (strongly consistent); a region whose item `parse` rejects gives no answer. */
export const readEveryRegion = async <T>(
  tables: QuorumTables,
  key: Record<string, string>,
  parse: (item: Record<string, unknown>) => T,
): Promise<Array<RegionReadReply<T>>> => {
  const replies = await callEveryRegion(tables, 'GetItem', async (client, abortSignal) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tables.tableName, Key: key, ConsistentRead: true }),
      { abortSignal },
    );
    return { value: Item ? parse(Item) : undefined };
  });
  return replies.map(({ region, result }): RegionReadReply<T> => {
    if (isFailure(result)) return { region, answer: 'none', errorCode: result.errorCode };
    return { region, answer: 'value', value: result.value };
  });
};

/** Puts `item` into every region under `condition`; a refusal carries the item that refused it. */
export const writeEveryRegion = async <T>(
  tables: QuorumTables,
  item: Record<string, unknown>,
  condition: Condition,
  parse: (item: Record<string, unknown>) => T,
  regions?: ReadonlySet<string>,
): Promise<Array<RegionWriteReply<T>>> => {
  const only = regions ? { ...tables, clients: new Map([...tables.clients].filter(([r]) => regions.has(r))) } : tables;
  const replies = await callEveryRegion(only, 'PutItem', async (client, abortSignal) => {
    try {
      await client.send(
        new PutCommand({
          TableName: tables.tableName,
          Item: item,
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: condition.names,
          ExpressionAttributeValues: condition.values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        { abortSignal },
      );
      return { accepted: true as const };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // The document client unmarshalls results, not errors: the refusing item is still in wire format.
      const old = (error as { Item?: Record<string, AttributeValue> }).Item;
      return { accepted: false as const, existing: old ? parse(unmarshall(old)) : undefined };
    }
  });
  return replies.map(({ region, result }): RegionWriteReply<T> => {
    if (isFailure(result)) return { region, answer: 'none', errorCode: result.errorCode };
    return result.accepted ? { region, answer: 'accepted' } : { region, answer: 'refused', existing: result.existing };
  });
};

/** The values of the regions that answered a read. */
export const answeredValues = <T>(replies: ReadonlyArray<RegionReadReply<T>>): Array<T | undefined> =>
  replies.flatMap((reply) => (reply.answer === 'value' ? [reply.value] : []));

/** A write's replies as the domain counts them. */
export const toAcks = <T>(replies: ReadonlyArray<RegionWriteReply<T>>): Array<WriteAck<T>> =>
  replies.map((reply) =>
    reply.answer === 'accepted'
      ? { kind: 'accepted' }
      : reply.answer === 'refused'
        ? { kind: 'refused', existing: reply.existing }
        : { kind: 'no-answer' },
  );
