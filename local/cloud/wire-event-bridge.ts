import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import type { Catalog } from '../../shared/domain/catalog';
import { LOCAL_ACCOUNT_ID, localCredentials } from '../aws/credentials';
import { ingressBusName } from './router-environment';

export const INGEST_RULE = 'switchyard-ingest';

/** The SQS ARN the local cloud records for a named queue in a region. */
export const queueArn = (region: string, name: string): string => `arn:aws:sqs:${region}:${LOCAL_ACCOUNT_ID}:${name}`;

const functionArn = (region: string, name: string): string =>
  `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;

/**
 * Creates, through the real SDK, what serverless.yml creates on AWS: the ingress bus with its rule
 * invoking ingest (retry policy + DLQ), and every target bus the catalog names in this region.
 */
export const wireEventBridge = async (
  endpoint: string,
  stage: string,
  region: string,
  catalog: Catalog,
): Promise<void> => {
  const client = new EventBridgeClient({ region, endpoint, credentials: localCredentials });
  try {
    const ingress = ingressBusName(stage);
    await client.send(new CreateEventBusCommand({ Name: ingress }));
    await client.send(
      new PutRuleCommand({
        Name: INGEST_RULE,
        EventBusName: ingress,
        EventPattern: JSON.stringify({ source: [{ prefix: '' }] }),
        State: 'ENABLED',
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: INGEST_RULE,
        EventBusName: ingress,
        Targets: [
          {
            Id: 'ingest',
            Arn: functionArn(region, 'ingest'),
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: queueArn(region, `switchyard-${stage}-ingest-dlq`) },
          },
        ],
      }),
    );
    const buses = new Set(
      [...catalog.targets.values()].flatMap((t) => (t.buses.has(region) ? [t.buses.get(region) ?? ''] : [])),
    );
    for (const bus of buses) await client.send(new CreateEventBusCommand({ Name: bus }));
  } finally {
    client.destroy();
  }
};
