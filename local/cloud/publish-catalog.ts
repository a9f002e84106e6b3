import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { CONTROL_KEYS } from '../../shared/adapters/control-table';
import { localCredentials } from '../aws/credentials';
import type { LocalCloud } from './local-cloud';
import type { LocalStage } from './local-stage';
import { retryingUnansweredReads } from './unanswered-read';

/** Publishes and activates a catalog through the primary region's admin function, then waits until every region has the version. */
export const publishCatalog = async (
  cloud: LocalCloud,
  stage: LocalStage,
  yaml: string,
  version: number,
  timeoutMs = 15_000,
): Promise<void> => {
  const publish = async () =>
    (await cloud.runtime.invoke(stage.config.primaryRegion, 'admin', {
      action: 'routes.publish',
      actor: 'local-cloud',
      yaml,
      activate: true,
    })) as { ok: boolean; error?: { code: string; message: string } };
  // Publishing the same document again is a no-op, so a read no majority answered is retried.
  const response = await retryingUnansweredReads(publish, 3);
  if (!response.ok)
    throw new Error(`Publishing the routes catalog failed: ${response.error?.message ?? 'unknown error'}`);
  await Promise.all(cloud.regions.map((region) => waitForVersion(cloud, stage, region, version, timeoutMs)));
};

const waitForVersion = async (
  cloud: LocalCloud,
  stage: LocalStage,
  region: string,
  version: number,
  timeoutMs: number,
): Promise<void> => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region, endpoint: cloud.endpoints.dynamodbEngine, credentials: localCredentials }),
  );
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const out = await client.send(
        new GetCommand({
          TableName: stage.tables.control,
          Key: { pk: CONTROL_KEYS.routes, sk: CONTROL_KEYS.version(version) },
        }),
      );
      if (out.Item) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(
      `Routes catalog version ${version} did not replicate to ${region} within ${timeoutMs} ms; check GET /replication on the control API.`,
    );
  } finally {
    client.destroy();
  }
};
