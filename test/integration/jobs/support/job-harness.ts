import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localCredentials } from '../../../../local/aws/credentials';
import { keyOf, type RouterHarness } from '../../../../local/harness/router-harness';
import type { RecordedEvent } from '../../../../local/eventbridge/inspector';
import type { OwnershipStatus } from '../../../../local/cloud/ownership-status';
import { encodeKey } from '../../../../shared/domain/ingest/key-encoding';
import { retryingUnansweredReads } from '../../../../local/cloud/unanswered-read';
import type { AdminResponse } from '../../../../shared/services/admin/run-admin';

export const ORDERS = 'com.switchyard.orders';

/** The Switchyard key of an order (source key path detail.orderId). */
export const orderKey = (orderId: string): string => encodeKey(ORDERS, [{ type: 's', value: orderId }]).id;

/** An order event for the ingress bus. */
export const order = (orderId: string, total = 5) => ({
  Source: ORDERS,
  DetailType: 'OrderPlaced',
  Detail: JSON.stringify({ orderId, total }),
});

/**
 * Calls the admin function in a region and returns the result, or throws with the typed error. A
 * quorum read no majority answered in time is retried twice, as its message tells an operator to.
 */
export const adminCall = async <T = Record<string, unknown>>(
  harness: RouterHarness,
  request: Record<string, unknown>,
  region = 'us-east-1',
): Promise<T> => {
  const call = async () =>
    (await harness.rc.cloud.runtime.invoke(region, 'admin', { actor: 'job-test', ...request })) as AdminResponse;
  const response = await retryingUnansweredReads(call, 2);
  if (!response.ok) throw new Error(`${String(request.action)} refused: ${JSON.stringify(response.error)}`);
  return response.result as T;
};

/** A job's status as replay.status or reconcile.status answers it. */
export interface StatusView {
  jobId: string;
  state: string;
  progress: {
    scanned: number;
    selected: number;
    sent: number;
    skipped: number;
    failed: number;
    parts: { zone: string; home: string; state: string; startedAt?: string }[];
  } & Record<string, unknown>;
  [field: string]: unknown;
}

/** Waits until a job reaches one of `states`; on timeout, says where the job stood last. */
export const waitForJob = async (
  harness: RouterHarness,
  kind: 'replay' | 'reconcile',
  id: string,
  states: readonly string[] = ['COMPLETED', 'FAILED', 'CANCELLED'],
  timeoutMs = 90_000,
): Promise<StatusView> => {
  let last: StatusView | undefined;
  try {
    return await harness.waitFor(
      `${kind} ${id} to be ${states.join(' or ')}`,
      async () => {
        last = await adminCall<StatusView>(
          harness,
          kind === 'replay' ? { action: 'replay.status', jobId: id } : { action: 'reconcile.status', reportId: id },
        );
        return states.includes(last.state) ? last : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${String(error)}; last seen: ${JSON.stringify(last)}`, { cause: error });
  }
};

/**
 * Waits until every region is judged healthy and routes its own homes again. A test that stopped a
 * region's functions leaves it judged failed for a while beside a CPU hog, and its homes with a
 * successor until the handback; orders published then take that detour (seen past 90 s on CI).
 */
export const waitForSteadyRegions = async (harness: RouterHarness, timeoutMs = 180_000): Promise<void> => {
  let last: OwnershipStatus | undefined;
  try {
    await harness.waitFor(
      'every region healthy and routing its own homes',
      async () => {
        last = await harness.rc.ownership();
        return last.regions.every((r) => r.state === 'healthy') && last.homes.every((h) => h.owner === h.home);
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${String(error)}; last seen: ${JSON.stringify(last)}`, { cause: error });
  }
};

/** Waits until `count` copies of a replay reached the buses; on timeout, says where the job stands. */
export const waitForCopies = async (harness: RouterHarness, jobId: string, count: number): Promise<void> => {
  try {
    await harness.waitFor(`${count} copies sent by replay ${jobId}`, () => replayedBy(harness, jobId).length >= count);
  } catch (error) {
    const status = await adminCall(harness, { action: 'replay.status', jobId }).catch(String);
    throw new Error(`${String(error)}; the job: ${JSON.stringify(status)}`, { cause: error });
  }
};

/** Deliveries a replay job sent, from the local EventBridge's record. */
export const replayedBy = (harness: RouterHarness, jobId: string): RecordedEvent[] =>
  harness.delivered().filter((e) => e.envelope.resources.includes(`switchyard:replay:${jobId}`));

/** How many copies of each key reached the buses. */
export const copiesPerKey = (events: readonly RecordedEvent[]): Map<string, number> => {
  const copies = new Map<string, number>();
  for (const e of events) copies.set(keyOf(e) ?? '?', (copies.get(keyOf(e) ?? '?') ?? 0) + 1);
  return copies;
};

/** Deletes delivery rows from a region's ledger replica (the deletion replicates), as a lost write would leave it. */
export const deleteDeliveryRows = async (
  harness: RouterHarness,
  table: string,
  rows: readonly { id: string; sk: string }[],
  region = 'us-east-1',
): Promise<void> => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region, endpoint: harness.rc.cloud.endpoints.dynamodb, credentials: localCredentials }),
  );
  // A copy reaches its bus before the sender confirms its row: delete only confirmed rows, or the
  // confirm would land after the delete.
  await harness.waitFor(`${rows.length} delivery rows confirmed`, async () => {
    const found = await Promise.all(rows.map((key) => harness.get(region, table, key)));
    return found.every((row) => row?.status === 'delivered');
  });
  try {
    for (const key of rows) await client.send(new DeleteCommand({ TableName: table, Key: key }));
  } finally {
    client.destroy();
  }
};
