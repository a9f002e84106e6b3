import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { zonesIn } from '../../stages/lib/deployment-settings';
import { localCredentials } from '../aws/credentials';
import type { LocalCloud } from './local-cloud';
import type { LocalStage } from './local-stage';

const SCHEDULED = ['health', 'sweeper'] as const;
type Scheduled = (typeof SCHEDULED)[number];

/** When each region's scheduled functions were last invoked, so a test can tell where it is in a period. */
export interface ScheduleClock {
  /** The last invocation's start (ms since the epoch), or undefined before the first. */
  lastFiredAt(region: string, name: Scheduled): number | undefined;
}

/**
 * Runs each region's scheduled functions as EventBridge schedules do: now, then every period. A
 * region whose functions an outage drill restarts is invoked again at once rather than at the next
 * period, so drills measure the router, not the schedule's phase (docs/decisions/005).
 */
export const scheduleFunctions = (cloud: LocalCloud, periods: Record<Scheduled, number>): ScheduleClock => {
  const fired = new Map<string, number>();
  const fire = (region: string, name: Scheduled): void => {
    fired.set(`${region}#${name}`, Date.now());
    void cloud.runtime
      .invoke(region, name, { source: 'aws.events', 'detail-type': 'Scheduled Event' })
      .catch(() => undefined);
  };
  const timers = SCHEDULED.map((name) => {
    for (const region of cloud.regions) fire(region, name);
    const timer = setInterval(() => cloud.regions.forEach((region) => fire(region, name)), periods[name]);
    timer.unref();
    return timer;
  });
  cloud.runtime.regionStates.onStarted((region) => SCHEDULED.forEach((name) => fire(region, name)));
  cloud.onStop(async () => timers.forEach((timer) => clearInterval(timer)));
  return { lastFiredAt: (region, name) => fired.get(`${region}#${name}`) };
};

/** Resolves once every region holds a valid lease on its own home in each of its zones (read from its coord table). */
export const waitForOwnership = async (cloud: LocalCloud, stage: LocalStage, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  const clients = cloud.regions.map((region) => ({
    region,
    client: DynamoDBDocumentClient.from(
      new DynamoDBClient({ region, endpoint: cloud.endpoints.dynamodbEngine, credentials: localCredentials }),
    ),
  }));
  try {
    for (;;) {
      const missing = (
        await Promise.all(
          clients.map(async ({ region, client }) => {
            const out = await client.send(
              new QueryCommand({
                TableName: stage.tables.coord,
                KeyConditionExpression: 'pk = :pk',
                ExpressionAttributeValues: { ':pk': 'owns' },
              }),
            );
            const owned = new Set(
              (out.Items ?? []).filter((i) => Number(i.validUntil) > Date.now()).map((i) => String(i.sk)),
            );
            return zonesIn(stage.config, region)
              .filter((zone) => !owned.has(`${zone}#${region}`))
              .map((zone) => `${zone}#${region}`);
          }),
        )
      ).flat();
      if (missing.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `Leases not acquired within ${timeoutMs} ms: ${missing.join(', ')}; see GET /functions/<region>/health/logs on the control API.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    clients.forEach(({ client }) => client.destroy());
  }
};
