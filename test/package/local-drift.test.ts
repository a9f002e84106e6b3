import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials } from '../../local/aws/credentials';
import { LOCAL_ONLY_VARIABLES } from '../../local/cloud/local-stage';
import { startRouterCloud, type RouterCloud } from '../../local/cloud/router-cloud';
import { FUNCTIONS, scheduleMs } from '../../stages/lib/deployment-settings';
import { loadPackagedStage, resourcesOfType, type PackagedStage, type Template } from './helpers/packaged-stage';

/**
 * The local cloud must deploy what `serverless package` writes for the same stage file, or local
 * drills stop describing AWS. This packages stages/local.yml and compares every deployment
 * setting of each region's template with what the local cloud actually deployed.
 */
const STAGE = 'local';
const PACKAGING_TIMEOUT_MS = 600_000;

let packaged: PackagedStage;
let rc: RouterCloud;

beforeAll(async () => {
  packaged = loadPackagedStage(STAGE);
  rc = await startRouterCloud({
    regions: packaged.config.regions,
    ports: { dynamodb: 0, eventBridge: 0, control: 0, lambda: 0 },
    router: { stage: STAGE },
  });
}, PACKAGING_TIMEOUT_MS);

afterAll(async () => {
  await rc?.stop();
});

type Props = Record<string, unknown>;
const propsOf = (template: Template, logicalId: string): Props => {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`the template has no resource ${logicalId}`);
  return resource.Properties ?? {};
};
/** `{ "Fn::GetAtt": ["IngestDlq", "Arn"] }` → the queue's physical name in the same template. */
const queueNameOf = (template: Template, reference: unknown): string => {
  const [logicalId] = (reference as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
  return String(propsOf(template, logicalId).QueueName);
};
const functionLogicalId = (fn: string): string => `${fn[0]?.toUpperCase() ?? ''}${fn.slice(1)}LambdaFunction`;

describe('the local cloud deploys what serverless package writes (stages/local.yml)', () => {
  const regions = (): PackagedStage['regions'] => {
    expect(packaged.regions.length).toBeGreaterThan(0);
    return packaged.regions;
  };

  it('deploys the same functions with the same environment variables and values in every region', () => {
    for (const { region, app } of regions()) {
      const templateFunctions = resourcesOfType(app, 'AWS::Lambda::Function').map(([id]) => id);
      expect(templateFunctions.sort()).toEqual(FUNCTIONS.map(functionLogicalId).sort());
      for (const fn of FUNCTIONS) {
        const template = (propsOf(app, functionLogicalId(fn)).Environment as { Variables: Props }).Variables;
        const deployed = { ...rc.cloud.runtime.deployment(region, fn)?.environment };
        for (const variable of LOCAL_ONLY_VARIABLES) delete deployed[variable];
        expect({ region, fn, env: deployed }).toEqual({ region, fn, env: template });
      }
    }
  });

  it('maps the inbox stream to route with the same batch size, window, retries, bisect, response type, filters and on-failure queue', () => {
    for (const { region, app } of regions()) {
      const [[, mapping] = []] = resourcesOfType(app, 'AWS::Lambda::EventSourceMapping');
      const template = mapping?.Properties ?? {};
      const local = rc.router.mappings.get(region)?.options;
      const onFailure = (template.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination;
      expect({
        region,
        batchSize: local?.batchSize,
        window: local?.maximumBatchingWindowInSeconds,
        retries: local?.maximumRetryAttempts,
        bisect: local?.bisectBatchOnFunctionError,
        responseTypes: local?.functionResponseTypes,
        startingPosition: local?.startingPosition,
        filters: local?.filterCriteria?.Filters.map((f) => JSON.parse(f.Pattern) as unknown),
        onFailure: local?.destinationConfig?.onFailure.destination.split(':').pop(),
      }).toEqual({
        region,
        batchSize: template.BatchSize,
        window: template.MaximumBatchingWindowInSeconds,
        retries: template.MaximumRetryAttempts,
        bisect: template.BisectBatchOnFunctionError,
        responseTypes: template.FunctionResponseTypes,
        startingPosition: template.StartingPosition,
        filters: (template.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters.map(
          (f) => JSON.parse(f.Pattern) as unknown,
        ),
        onFailure: queueNameOf(app, onFailure),
      });
    }
  });

  it('gives the ingress rule the same pattern, retry policy and dead-letter queue', async () => {
    for (const { region, app } of regions()) {
      const [[, rule] = []] = resourcesOfType(app, 'AWS::Events::Rule').filter(
        ([, r]) => (r.Properties ?? {}).EventBusName !== undefined,
      );
      const template = rule?.Properties ?? {};
      const [target] = template.Targets as Array<{ RetryPolicy: Props; DeadLetterConfig: { Arn: unknown } }>;
      const client = new EventBridgeClient({
        region,
        endpoint: rc.cloud.endpoints.eventBridge,
        credentials: localCredentials,
      });
      try {
        const name = String(template.Name);
        const bus = `switchyard-${STAGE}-ingress`;
        const described = await client.send(new DescribeRuleCommand({ Name: name, EventBusName: bus }));
        const targets = await client.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus }));
        const local = targets.Targets?.[0];
        expect({
          region,
          pattern: JSON.parse(described.EventPattern ?? 'null') as unknown,
          retry: local?.RetryPolicy,
          dlq: local?.DeadLetterConfig?.Arn?.split(':').pop(),
        }).toEqual({
          region,
          pattern: template.EventPattern,
          retry: target?.RetryPolicy,
          dlq: queueNameOf(app, target?.DeadLetterConfig.Arn),
        });
      } finally {
        client.destroy();
      }
    }
  });

  it('runs the health function on the schedule the template declares', () => {
    for (const { app } of regions()) {
      const schedules = resourcesOfType(app, 'AWS::Events::Rule')
        .map(([, r]) => r.Properties?.ScheduleExpression)
        .filter((s): s is string => typeof s === 'string');
      expect(schedules.map(scheduleMs)).toEqual([rc.router.healthIntervalMs]);
    }
  });
});
