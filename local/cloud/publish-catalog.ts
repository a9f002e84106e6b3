import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { physicalTableName } from '../../shared/table-definitions';
import { localCredentials } from '../aws/credentials';
import type { LocalCloud } from './local-cloud';

/** Publishes and activates a catalog through the primary region's admin function, then waits until every region sees it. */
export const publishCatalog = async (
  cloud: LocalCloud,
  input: { stage: string; yaml: string; version: number; timeoutMs?: number },
): Promise<void> => {
  const primary = cloud.regions[0] ?? 'us-east-1';
  const response = (await cloud.runtime.invoke(primary, 'admin', {
    action: 'routes.publish',
    actor: 'local-cloud',
    yaml: input.yaml,
    activate: true,
  })) as {
    ok: boolean;
    error?: { message: string };
  };
  if (!response.ok)
    throw new Error(`Publishing the routes catalog failed: ${response.error?.message ?? 'unknown error'}`);
  await Promise.all(
    cloud.regions.map((region) =>
      waitForActiveVersion(cloud, input.stage, region, input.version, input.timeoutMs ?? 15_000),
    ),
  );
};

const waitForActiveVersion = async (
  cloud: LocalCloud,
  stage: string,
  region: string,
  version: number,
  timeoutMs: number,
): Promise<void> => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region, endpoint: cloud.endpoints.dynamodb, credentials: localCredentials }),
  );
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const item = await client.send(
        new GetCommand({ TableName: physicalTableName(stage, 'control'), Key: { pk: 'ROUTES', sk: 'ACTIVE' } }),
      );
      if (item.Item?.version === version) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(
      `Routes catalog version ${version} did not replicate to ${region} within ${timeoutMs} ms; check GET /replication on the control API.`,
    );
  } finally {
    client.destroy();
  }
};
