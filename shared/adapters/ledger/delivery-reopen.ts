import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWriter } from './conditional-write';

/*
 * Reopening hands a delivery back to whoever claims it next:
 *   parked .......... an operator replays it (`replay start --status parked`): off the parked index
 *   waiting ......... a replay does not wait for its due time
 * A claimed or delivered row is never touched.
 */
const reopenable = '#status = :parked OR #status = :waiting';

/** Reopens parked or waiting delivery rows, so a replay's claim can take them now. */
export const deliveryReopen = (client: DynamoDBDocumentClient, tableOf: (zone: string) => string) => ({
  /** Makes a parked or waiting row waiting and due now; 'unchanged' when it was neither. */
  async reopen(k: { zone: string; id: string; sk: string; now: string }): Promise<'reopened' | 'unchanged'> {
    const result = await conditionalWriter(client, tableOf(k.zone)).update('UpdateItem(reopen)', {
      Key: { id: k.id, sk: k.sk },
      UpdateExpression: 'SET #status = :waiting, due = :now REMOVE parkedShard, parkedAt',
      ConditionExpression: reopenable,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':parked': 'parked', ':waiting': 'waiting', ':now': k.now },
    });
    return result.ok ? 'reopened' : 'unchanged';
  },
});
