import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials } from '../../local/aws/credentials';
import { LOCAL_ONLY_VARIABLES } from '../../local/cloud/local-stage';
import { startRouterCloud, type RouterCloud } from '../../local/cloud/router-cloud';
import type { StreamMappingOptions } from '../../local/lambda/stream-mapping';
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
    ports: { dynamodb: 0, eventBridge: 0, control: 0, lambda: 0, sqs: 0 },
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
/** A mapping's table: the GetAtt'd table resource's name, or the table in a stream ARN passed as a parameter. */
const tableOfStream = (template: Template, arn: unknown): string => {
  const getAtt = (arn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt) return String(propsOf(template, getAtt[0]).TableName);
  return /:table\/([^/]+)\/stream\//.exec(String(arn))?.[1] ?? String(arn);
};
const sortByTable = <T extends { table?: string }>(list: T[]): T[] =>
  [...list].sort((a, b) => String(a.table).localeCompare(String(b.table)));

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
        // Every *_ENDPOINT points an SDK client at the local cloud (STS_ENDPOINT included); AWS sets none.
        for (const variable of Object.keys(deployed).filter((v) => v.endsWith('_ENDPOINT'))) delete deployed[variable];
        expect({ region, fn, env: deployed }).toEqual({ region, fn, env: template });
      }
    }
  });

  it('maps every zone inbox of the region to route, with the same batch size, window, retries, bisect, response type, filters and on-failure queue', () => {
    for (const { region, app } of regions()) {
      const settings = (options?: Readonly<StreamMappingOptions>) => ({
        table: options?.tableName,
        batchSize: options?.batchSize,
        window: options?.maximumBatchingWindowInSeconds,
        retries: options?.maximumRetryAttempts,
        bisect: options?.bisectBatchOnFunctionError,
        responseTypes: options?.functionResponseTypes,
        startingPosition: options?.startingPosition,
        filters: options?.filterCriteria?.Filters.map((f) => JSON.parse(f.Pattern) as unknown),
        onFailure: options?.destinationConfig?.onFailure.destination.split(':').pop(),
      });
      const local = (rc.router.mappings.get(region) ?? []).map((m) => settings(m.options));
      const template = resourcesOfType(app, 'AWS::Lambda::EventSourceMapping').map(([, m]) => {
        const p = m.Properties ?? {};
        const onFailure = (p.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination;
        return {
          table: tableOfStream(app, p.EventSourceArn),
          batchSize: p.BatchSize,
          window: p.MaximumBatchingWindowInSeconds,
          retries: p.MaximumRetryAttempts,
          bisect: p.BisectBatchOnFunctionError,
          responseTypes: p.FunctionResponseTypes,
          startingPosition: p.StartingPosition,
          filters: (p.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters.map(
            (f) => JSON.parse(f.Pattern) as unknown,
          ),
          onFailure: queueNameOf(app, onFailure),
        };
      });

      expect(local.length, region).toBeGreaterThan(0);
      expect({ region, mappings: sortByTable(local) }).toEqual({ region, mappings: sortByTable(template) });
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

  it('runs health and sweeper on the schedules the template declares, and gives every function its timeout', () => {
    for (const { region, app } of regions()) {
      const scheduleOf = (fn: string) =>
        resourcesOfType(app, 'AWS::Events::Rule')
          .filter(([, r]) => JSON.stringify(r.Properties?.Targets).includes(functionLogicalId(fn)))
          .map(([, r]) => scheduleMs(String(r.Properties?.ScheduleExpression)));
      const timeouts = FUNCTIONS.map((fn) => [fn, propsOf(app, functionLogicalId(fn)).Timeout]);
      const deployed = FUNCTIONS.map((fn) => [fn, (rc.cloud.runtime.deployment(region, fn)?.timeoutMs ?? 0) / 1000]);

      expect({ region, health: scheduleOf('health'), sweeper: scheduleOf('sweeper') }).toEqual({
        region,
        health: [rc.router.schedules.health],
        sweeper: [rc.router.schedules.sweeper],
      });
      expect({ region, timeouts: deployed }).toEqual({ region, timeouts });
    }
  });
});
