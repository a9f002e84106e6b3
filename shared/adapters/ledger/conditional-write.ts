import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionalCheckFailed, storeError } from '../aws-errors';

type UpdateInput = Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>;
type PutInput = Omit<ConstructorParameters<typeof PutCommand>[0], 'TableName'>;

/** A conditional write's result: the old item when it went through, the item that refused it when not. */
export type WriteResult =
  { ok: true; old?: Record<string, unknown> } | { ok: false; existing?: Record<string, unknown> };

/** Reads the item DynamoDB returns with a failed condition (`ReturnValuesOnConditionCheckFailure: ALL_OLD`). */
const refusalOf = (error: unknown): WriteResult => {
  // The document client unmarshalls results, not errors: the item on a failed condition is still in wire format.
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  return { ok: false, ...(item ? { existing: unmarshall(item) } : {}) };
};

/** One conditional UpdateItem or PutItem that returns its evidence either way; SDK errors become domain errors. */
export const conditionalWriter = (client: DynamoDBDocumentClient, tableName: string) => {
  const evidence = {
    TableName: tableName,
    ReturnValues: 'ALL_OLD',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  } as const;
  const write = async (
    operation: string,
    send: () => Promise<{ Attributes?: Record<string, unknown> }>,
  ): Promise<WriteResult> => {
    try {
      const result = await send();
      return { ok: true, ...(result.Attributes ? { old: result.Attributes } : {}) };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return refusalOf(error);
      throw storeError(tableName, operation, error);
    }
  };
  return {
    update: (operation: string, input: UpdateInput): Promise<WriteResult> =>
      write(operation, () => client.send(new UpdateCommand({ ...evidence, ...input }))),
    put: (operation: string, input: PutInput): Promise<WriteResult> =>
      write(operation, () => client.send(new PutCommand({ ...evidence, ...input }))),
  };
};
