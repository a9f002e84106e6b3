import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { StoreUnavailableError } from '../domain/infrastructure-errors';
import { claimOutcome, refusedClaimOutcome, type ClaimResult, type LedgerEntry } from '../domain/delivery/ledger-entry';
import { isConditionalCheckFailed } from './aws-errors';

export interface ClaimRequest {
  id: string;
  to: string;
  target: string;
  region: string;
  bus: string;
  owner: string;
  epoch: number;
  token: string;
  routesVersion: number;
  now: string;
  expiresAt: number;
}

export interface LedgerTable {
  claim(request: ClaimRequest): Promise<ClaimResult>;
  confirm(c: {
    id: string;
    to: string;
    token: string;
    busEventId: string;
    now: string;
    redelivered: boolean;
  }): Promise<'confirmed' | 'lost'>;
  recordFailure(f: { id: string; to: string; token: string; error: string; due: string }): Promise<'recorded' | 'lost'>;
  park(p: { id: string; to: string; token: string; error: string; now: string }): Promise<'parked' | 'lost'>;
  parkUnclaimed(request: ClaimRequest & { error: string }): Promise<'parked' | 'settled'>;
}

const NAMES = { '#status': 'status', '#owner': 'owner', '#token': 'token', '#open': 'open', '#region': 'region' };

/** The ledger adapter: claims, confirms and parks are conditional writes keyed by (id, to). */
export const createLedgerTable = ({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): LedgerTable => {
  const update = async (
    operation: string,
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<{ ok: true; old?: Record<string, unknown> } | { ok: false; existing?: Record<string, unknown> }> => {
    try {
      const result = await client.send(new UpdateCommand({ TableName: tableName, ...input }));
      return { ok: true, ...(result.Attributes ? { old: result.Attributes } : {}) };
    } catch (error) {
      // The document client unmarshalls results, not errors: the item on a failed condition is still in wire format.
      if (isConditionalCheckFailed(error)) {
        const item = (error as { Item?: Record<string, AttributeValue> }).Item;
        return { ok: false, ...(item ? { existing: unmarshall(item) } : {}) };
      }
      throw new StoreUnavailableError(tableName, operation, error);
    }
  };
  const claimValues = (r: ClaimRequest): Record<string, unknown> => ({
    ':owner': r.owner,
    ':epoch': r.epoch,
    ':token': r.token,
    ':region': r.region,
    ':now': r.now,
    ':exp': r.expiresAt,
    ':target': r.target,
    ':bus': r.bus,
    ':rv': r.routesVersion,
  });
  const CLAIM_SET =
    '#status = :claimed, #owner = :owner, epoch = :epoch, #token = :token, #open = :region, due = :now, claimedAt = :now, expiresAt = :exp, target = :target, #region = :region, bus = :bus, routesVersion = :rv';
  return {
    async claim(r) {
      const result = await update('UpdateItem(claim)', {
        Key: { id: r.id, to: r.to },
        UpdateExpression: `SET ${CLAIM_SET}, attempts = if_not_exists(attempts, :zero) + :one`,
        ConditionExpression: 'attribute_not_exists(id) OR (#status = :claimed AND epoch <= :epoch)',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ...claimValues(r), ':claimed': 'claimed', ':zero': 0, ':one': 1 },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return result.ok
        ? claimOutcome(result.old as Partial<LedgerEntry> | undefined)
        : refusedClaimOutcome(result.existing as Partial<LedgerEntry> | undefined);
    },
    async confirm(c) {
      const result = await update('UpdateItem(confirm)', {
        Key: { id: c.id, to: c.to },
        UpdateExpression:
          'SET #status = :delivered, deliveredAt = :now, busEventId = :eid, redeliveries = if_not_exists(redeliveries, :zero) + :r REMOVE #open, due, lastError',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#status': 'status', '#token': 'token', '#open': 'open' },
        ExpressionAttributeValues: {
          ':delivered': 'delivered',
          ':now': c.now,
          ':eid': c.busEventId,
          ':token': c.token,
          ':zero': 0,
          ':r': c.redelivered ? 1 : 0,
        },
      });
      return result.ok ? 'confirmed' : 'lost';
    },
    async recordFailure(f) {
      const result = await update('UpdateItem(recordFailure)', {
        Key: { id: f.id, to: f.to },
        UpdateExpression: 'SET lastError = :error, failedToken = :token, due = :due',
        ConditionExpression: '#token = :token AND #status = :claimed',
        ExpressionAttributeNames: { '#token': 'token', '#status': 'status' },
        ExpressionAttributeValues: { ':error': f.error, ':token': f.token, ':due': f.due, ':claimed': 'claimed' },
      });
      return result.ok ? 'recorded' : 'lost';
    },
    async park(p) {
      const result = await update('UpdateItem(park)', {
        Key: { id: p.id, to: p.to },
        UpdateExpression: 'SET #status = :parked, lastError = :error, parkedAt = :now, failedToken = :token',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#status': 'status', '#token': 'token' },
        ExpressionAttributeValues: { ':parked': 'parked', ':error': p.error, ':now': p.now, ':token': p.token },
      });
      return result.ok ? 'parked' : 'lost';
    },
    async parkUnclaimed(r) {
      const result = await update('UpdateItem(parkUnclaimed)', {
        Key: { id: r.id, to: r.to },
        UpdateExpression: `SET ${CLAIM_SET.replace(':claimed', ':parked')}, attempts = if_not_exists(attempts, :zero), lastError = :error, parkedAt = :now, failedToken = :token`,
        ConditionExpression: 'attribute_not_exists(id) OR #status = :parked',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ...claimValues(r), ':parked': 'parked', ':zero': 0, ':error': r.error },
        ReturnValues: 'ALL_OLD',
      });
      // Parking again (a retried stream record) refreshes the reason but is not a new parked delivery.
      return result.ok && !result.old ? 'parked' : 'settled';
    },
  };
};
