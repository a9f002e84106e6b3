import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  claimOutcome,
  refusedClaimOutcome,
  type ClaimResult,
  type DeliveryRow,
} from '../../domain/delivery/ledger-entry';
import { shardOf } from '../../table-definitions';
import { conditionalWriter } from './conditional-write';

/** Everything a claim writes: who claims which delivery of which event incarnation, under which lease epoch. */
export interface ClaimRequest {
  zone: string;
  id: string;
  /** `<to>@<owner>` (LEDGER_ROW.delivery). */
  sk: string;
  to: string;
  target: string;
  region: string;
  bus: string;
  owner: string;
  home: string;
  epoch: number;
  token: string;
  now: string;
  /** When the claim expires and another worker may take it over. */
  claimDue: string;
  receivedAt: string;
  windowEnd: number;
  tenant: string;
  routes: string[];
  routesVersion: number;
  expiresAt: number;
  replayJob?: string;
}

type RowKey = { zone: string; id: string; sk: string; token: string };

const NAMES = { '#status': 'status', '#owner': 'owner', '#token': 'token', '#region': 'region', '#to': 'to' };

/*
 * A claim succeeds on a row that is
 *   absent ........................ first claim of this delivery by this owner
 *   claimed|waiting and due passed  a worker crashed (claim expired) or a retry is due
 *   ours (same token) ............. the SDK re-sent this very claim after a lost response
 * and is refused while another worker's claim is live, or once the row is delivered or parked.
 * A row of an earlier incarnation (windowEnd <= this event's receivedAt) is replaced as new.
 */
const absent = 'attribute_not_exists(sk)';
const reclaimable = '(#status = :claimed OR #status = :waiting) AND due <= :now';
const ours = '#token = :token';

const claimValues = (r: ClaimRequest) => ({
  ':claimed': 'claimed',
  ':waiting': 'waiting',
  ':delivery': 'delivery',
  ':to': r.to,
  ':target': r.target,
  ':region': r.region,
  ':bus': r.bus,
  ':owner': r.owner,
  ':home': r.home,
  ':epoch': r.epoch,
  ':token': r.token,
  ':now': r.now,
  ':due': r.claimDue,
  ':receivedAt': r.receivedAt,
  ':windowEnd': r.windowEnd,
  ':tenant': r.tenant,
  ':routes': r.routes,
  ':rv': r.routesVersion,
  ':exp': r.expiresAt,
  ':zero': 0,
  ':one': 1,
});
/*
 * Who may have sent: a claim's token goes out with its send, so a row whose token is not its
 * `failedToken` may have reached the bus. A hold sends nothing: on a new row its token is known not
 * sent; on an existing row it keeps the token and failedToken it found, so a claim that expired with
 * its outcome unknown is still counted as a possible repeat by the next claim.
 */
const CLAIM_TOKEN = '#token = :token';
const HOLD_TOKEN = '#token = if_not_exists(#token, :token), failedToken = if_not_exists(failedToken, :token)';

/** The attributes every claim or hold writes; status, attempts and the token differ between them. */
const rowSet = (status: string, attempts: string, due: boolean, token = CLAIM_TOKEN): string =>
  [
    `#status = ${status}`,
    'kind = :delivery',
    '#to = :to',
    'target = :target',
    '#region = :region',
    'bus = :bus',
    '#owner = :owner',
    'home = :home',
    'epoch = :epoch',
    token,
    ...(due ? ['due = :due'] : []),
    'claimedAt = :now',
    'firstClaimedAt = if_not_exists(firstClaimedAt, :now)',
    `attempts = ${attempts}`,
    'receivedAt = :receivedAt',
    'windowEnd = :windowEnd',
    'tenant = :tenant',
    'routes = :routes',
    'routesVersion = :rv',
    'expiresAt = :exp',
  ].join(', ');
/** A claim counts an attempt; a hold (nothing sent) does not. */
const CLAIM_SET = rowSet(':claimed', 'if_not_exists(attempts, :zero) + :one', true);
const WAIT_SET = rowSet(':status', 'if_not_exists(attempts, :zero)', true, HOLD_TOKEN);
const PARK_SET = rowSet(':status', 'if_not_exists(attempts, :zero)', false, HOLD_TOKEN);

/** The row a first claim writes, when it replaces a row an earlier incarnation left behind. */
const freshRow = (r: ClaimRequest): DeliveryRow => ({
  id: r.id,
  sk: r.sk,
  kind: 'delivery',
  to: r.to,
  target: r.target,
  region: r.region,
  bus: r.bus,
  owner: r.owner,
  home: r.home,
  epoch: r.epoch,
  token: r.token,
  status: 'claimed',
  attempts: 1,
  due: r.claimDue,
  firstClaimedAt: r.now,
  claimedAt: r.now,
  receivedAt: r.receivedAt,
  windowEnd: r.windowEnd,
  tenant: r.tenant,
  routes: r.routes,
  routesVersion: r.routesVersion,
  expiresAt: r.expiresAt,
  ...(r.replayJob ? { replayJob: r.replayJob } : {}),
});

/** Claims, confirms, waits and parks on delivery rows: conditional writes that prove who sent what. */
export const deliveryRows = (client: DynamoDBDocumentClient, tableOf: (zone: string) => string) => {
  const writer = (zone: string) => conditionalWriter(client, tableOf(zone));
  return {
    async claim(r: ClaimRequest): Promise<ClaimResult> {
      const replay = r.replayJob ? ', replayJob = :job' : ' REMOVE replayJob';
      const result = await writer(r.zone).update('UpdateItem(claim)', {
        Key: { id: r.id, sk: r.sk },
        UpdateExpression: `SET ${CLAIM_SET}${replay}`,
        ConditionExpression: `${absent} OR (${reclaimable}) OR ${ours}`,
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ...claimValues(r), ...(r.replayJob ? { ':job': r.replayJob } : {}) },
      });
      if (result.ok) return claimOutcome(result.old as Partial<DeliveryRow> | undefined, r.token);
      const refused = refusedClaimOutcome(result.existing as Partial<DeliveryRow> | undefined, r.receivedAt);
      if (refused.kind !== 'left-behind') return refused;
      const replaced = await writer(r.zone).put('PutItem(claim over an earlier incarnation)', {
        Item: freshRow(r),
        ConditionExpression: 'windowEnd = :old',
        ExpressionAttributeValues: { ':old': refused.windowEnd },
      });
      return replaced.ok
        ? { kind: 'claimed', attempt: 1, suspectedRedelivery: false }
        : { kind: 'held', owner: 'unknown' };
    },

    /** Marks a claimed delivery delivered; idempotent for the same token (an SDK retry). */
    async confirm(k: RowKey & { attempt: number; busEventId: string; now: string; redelivered: boolean }) {
      const result = await writer(k.zone).update('UpdateItem(confirm)', {
        Key: { id: k.id, sk: k.sk },
        UpdateExpression:
          'SET #status = :delivered, deliveredAt = :now, busEventId = :eid, attempts = :attempt, redeliveries = if_not_exists(redeliveries, :zero) + :r REMOVE due, lastError',
        ConditionExpression: '#token = :token AND #status = :claimed',
        ExpressionAttributeNames: { '#status': 'status', '#token': 'token' },
        ExpressionAttributeValues: {
          ':delivered': 'delivered',
          ':claimed': 'claimed',
          ':now': k.now,
          ':eid': k.busEventId,
          ':attempt': k.attempt,
          ':token': k.token,
          ':zero': 0,
          ':r': k.redelivered ? 1 : 0,
        },
      });
      return result.ok || sameOutcome(result, k.token, 'delivered') ? 'confirmed' : 'lost';
    },

    /**
     * A retryable failure: the delivery waits until `due`. `knownNotSent` says the entry certainly did
     * not reach the bus, so the next claim does not count a repeat. `attempt` is the highest attempt
     * number sent under this claim, so the next claim's is higher than any that may have arrived.
     */
    async wait(k: RowKey & { due: string; error: string; knownNotSent: boolean; attempt: number }) {
      const result = await writer(k.zone).update('UpdateItem(wait)', {
        Key: { id: k.id, sk: k.sk },
        UpdateExpression: `SET #status = :waiting, due = :due, lastError = :error, attempts = :attempt${k.knownNotSent ? ', failedToken = :token' : ''}`,
        ConditionExpression: '#token = :token AND #status = :claimed',
        ExpressionAttributeNames: { '#status': 'status', '#token': 'token' },
        ExpressionAttributeValues: {
          ':waiting': 'waiting',
          ':claimed': 'claimed',
          ':due': k.due,
          ':error': k.error,
          ':token': k.token,
          ':attempt': k.attempt,
        },
      });
      return result.ok || sameOutcome(result, k.token, 'waiting') ? 'waiting' : 'lost';
    },

    /** A permanent failure, or a wait past the horizon: parked with its reason, on the `parked` index. */
    async park(k: RowKey & { error: string; now: string; tenant: string }) {
      const result = await writer(k.zone).update('UpdateItem(park)', {
        Key: { id: k.id, sk: k.sk },
        UpdateExpression:
          'SET #status = :parked, lastError = :error, parkedAt = :now, parkedShard = :shard, failedToken = :token REMOVE due',
        ConditionExpression: '#token = :token AND (#status = :claimed OR #status = :waiting)',
        ExpressionAttributeNames: { '#status': 'status', '#token': 'token' },
        ExpressionAttributeValues: {
          ':parked': 'parked',
          ':claimed': 'claimed',
          ':waiting': 'waiting',
          ':error': k.error,
          ':now': k.now,
          ':shard': shardOf(k.tenant, k.id),
          ':token': k.token,
        },
      });
      return result.ok || sameOutcome(result, k.token, 'parked') ? 'parked' : 'lost';
    },

    /**
     * Records a delivery that is not sent now: `waiting` (no usable region; retried at `due`) or
     * `parked` (it can never be sent). Refreshes an earlier waiting row; leaves a live claim and a
     * settled row alone. Returns 'new' the first time, so a parked delivery is counted once.
     */
    async hold(r: ClaimRequest & { status: 'waiting' | 'parked'; error: string; due: string }) {
      const parked = r.status === 'parked';
      // Nothing is sent, so no attempt is counted; a parked row has no due time.
      const { ':one': _one, ':due': _due, ...base } = claimValues(r);
      const values = {
        ...base,
        ':status': r.status,
        ':error': r.error,
        ...(parked ? { ':shard': shardOf(r.tenant, r.id) } : { ':due': r.due }),
      };
      const result = await writer(r.zone).update('UpdateItem(hold)', {
        Key: { id: r.id, sk: r.sk },
        UpdateExpression: parked
          ? `SET ${PARK_SET}, lastError = :error, parkedAt = :now, parkedShard = :shard REMOVE due`
          : `SET ${WAIT_SET}, lastError = :error`,
        ConditionExpression: `${absent} OR #status = :waiting OR (#status = :claimed AND due <= :now) OR ${ours}`,
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: values,
      });
      if (!result.ok) return 'unchanged' as const;
      return result.old ? ('refreshed' as const) : ('new' as const);
    },
  };
};

/** True when a refused write found the row already in the state this token's write would have left it (an SDK retry). */
const sameOutcome = (
  result: { ok: false; existing?: Record<string, unknown> },
  token: string,
  status: string,
): boolean => result.existing?.token === token && result.existing?.status === status;

export type DeliveryRows = ReturnType<typeof deliveryRows>;
