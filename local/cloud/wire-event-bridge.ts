import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import type { Catalog } from '../../shared/domain/catalog';
import { ingressBusPolicy } from '../../stages/lib/bus-policy';
import { INGEST_RULE } from '../../stages/lib/deployment-settings';
import { LOCAL_ACCOUNT_ID, localCredentials } from '../aws/credentials';
import type { LocalStage } from './local-stage';

/** The SQS ARN the local cloud records for a named queue in a region. */
export const queueArn = (region: string, name: string): string => `arn:aws:sqs:${region}:${LOCAL_ACCOUNT_ID}:${name}`;

const functionArn = (region: string, name: string): string =>
  `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;

/**
 * Creates, through the real SDK, what serverless.yml creates on AWS: the ingress bus with its policy
 * and its rule invoking ingest (retry policy and DLQ from stages/lib/deployment-settings.ts), and
 * every target bus the catalog names in this region.
 */
export const wireEventBridge = async (
  endpoint: string,
  stage: LocalStage,
  region: string,
  catalog: Catalog,
): Promise<void> => {
  const client = new EventBridgeClient({ region, endpoint, credentials: localCredentials });
  const { names } = stage;
  try {
    await client.send(new CreateEventBusCommand({ Name: names.ingressBus }));
    // The same policy serverless.yml attaches: each publisher may send only its tenants' sources.
    const busArn = `arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:event-bus/${names.ingressBus}`;
    const policy = ingressBusPolicy(stage.config, busArn, (text) => text);
    await client.send(new PutPermissionCommand({ EventBusName: names.ingressBus, Policy: JSON.stringify(policy) }));
    await client.send(
      new PutRuleCommand({
        Name: names.ingestRule,
        EventBusName: names.ingressBus,
        EventPattern: JSON.stringify(INGEST_RULE.pattern),
        State: 'ENABLED',
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: names.ingestRule,
        EventBusName: names.ingressBus,
        Targets: [
          {
            Id: 'ingest',
            Arn: functionArn(region, 'ingest'),
            RetryPolicy: {
              MaximumRetryAttempts: INGEST_RULE.retryPolicy.maximumRetryAttempts,
              MaximumEventAgeInSeconds: INGEST_RULE.retryPolicy.maximumEventAge,
            },
            DeadLetterConfig: { Arn: queueArn(region, names.queue('IngestDlq')) },
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
