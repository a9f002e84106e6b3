import { beforeAll, describe, expect, it } from 'vitest';
import { loadPackagedStage, resourcesOfType, type PackagedRegion, type PackagedStage } from './helpers/packaged-stage';

const PACKAGING_TIMEOUT_MS = 600_000;
const FUNCTIONS = ['ingest', 'route', 'health', 'admin'];
const QUEUES = ['IngestDlq', 'IngestFailedQueue', 'RouteFailedQueue'];

/**
 * Bundle budget, per function. Cold start grows with the code Lambda has to load, and the SDK
 * is bundled on purpose; today's largest (route) is ~1.3 MB of JS. Raise the budget only with
 * a reason in the commit.
 */
const MAX_HANDLER_JS_BYTES = 1.5 * 1024 * 1024;
const MAX_ZIP_BYTES = 2 * 1024 * 1024;

let packaged: PackagedStage;
beforeAll(() => {
  packaged = loadPackagedStage('prod');
}, PACKAGING_TIMEOUT_MS);

const each = (fn: (region: PackagedRegion) => void): void => {
  expect(packaged.regions.map((r) => r.region)).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
  for (const region of packaged.regions) fn(region);
};
const capitalize = (name: string): string => `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;
type AlarmProps = {
  Namespace: string;
  MetricName: string;
  Dimensions: Array<{ Name: string; Value: unknown }>;
  AlarmActions?: unknown[];
};

describe('alarms', () => {
  it("watch errors and throttles of every function, route's iterator age, every failure queue, parked deliveries and the health probe", () => {
    each(({ region, app }) => {
      const alarms = resourcesOfType(app, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as AlarmProps);
      const signal = (a: AlarmProps) =>
        `${a.Namespace} ${a.MetricName} ${a.Dimensions.map((d) => JSON.stringify(d.Value)).join(',')}`;
      const fn = (name: string) => `"switchyard-prod-${name}"`;

      expect(alarms.map(signal).sort(), region).toEqual(
        [
          ...FUNCTIONS.flatMap((name) => [`AWS/Lambda Errors ${fn(name)}`, `AWS/Lambda Throttles ${fn(name)}`]),
          `AWS/Lambda IteratorAge ${fn('route')}`,
          ...QUEUES.map(
            (queue) => `AWS/SQS ApproximateNumberOfMessagesVisible {"Fn::GetAtt":["${queue}","QueueName"]}`,
          ),
          'Switchyard Parked "switchyard-prod"',
          'Switchyard RegionUnhealthy "switchyard-prod"',
        ].sort(),
      );
      expect(alarms.filter((a) => JSON.stringify(a.AlarmActions) !== '[{"Ref":"AlarmTopic"}]')).toEqual([]);
      expect(resourcesOfType(app, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    });
  });
});

describe('route stream mapping', () => {
  it('reports partial batch failures, bisects, retries a bounded number of times and parks the rest on a queue', () => {
    each(({ region, app }) => {
      const mappings = resourcesOfType(app, 'AWS::Lambda::EventSourceMapping');
      const mapping = mappings[0]?.[1].Properties ?? {};

      expect(mappings, region).toHaveLength(1);
      expect(mapping.FunctionName).toEqual({ 'Fn::GetAtt': ['RouteLambdaFunction', 'Arn'] });
      expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(mapping.BisectBatchOnFunctionError).toBe(true);
      expect(mapping.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
      expect(mapping.MaximumRetryAttempts).toBeLessThanOrEqual(100);
      expect(mapping.DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': ['RouteFailedQueue', 'Arn'] } },
      });
      expect(
        (mapping.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters.map(
          (f) => JSON.parse(f.Pattern) as unknown,
        ),
      ).toEqual([
        { eventName: ['INSERT'], dynamodb: { NewImage: { owner: { S: [region] } } } },
        { eventName: ['MODIFY'] },
      ]);
    });
  });
});

describe('ingest', () => {
  it('is triggered by a rule on the ingress bus with a retry policy and a dead-letter queue, and parks failed runs', () => {
    each(({ app }) => {
      const rules = resourcesOfType(app, 'AWS::Events::Rule').filter(
        ([, r]) => JSON.stringify(r.Properties?.EventBusName) === '{"Ref":"IngressBus"}',
      );
      const target = (rules[0]?.[1].Properties?.Targets as Array<Record<string, unknown>> | undefined)?.[0] ?? {};
      const invokeConfig = app.Resources.IngestLambdaEvConf?.Properties ?? {};

      expect(rules).toHaveLength(1);
      expect(target.Arn).toEqual({ 'Fn::GetAtt': ['IngestLambdaFunction', 'Arn'] });
      expect(target.RetryPolicy).toEqual({
        MaximumEventAgeInSeconds: expect.any(Number),
        MaximumRetryAttempts: expect.any(Number),
      });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['IngestDlq', 'Arn'] } });
      expect(invokeConfig.DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': ['IngestFailedQueue', 'Arn'] } },
      });
    });
  });

  it('accepts events on the ingress bus only from the listed publishers', () => {
    each(({ app }) => {
      const statements = (app.Resources.IngressBus?.Properties?.Policy as { Statement: Array<Record<string, unknown>> })
        .Statement;
      const deny = statements.find((s) => s.Effect === 'Deny');

      expect(deny).toMatchObject({
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': expect.any(Array) } },
      });
      expect(statements.find((s) => s.Effect === 'Allow')).toMatchObject({ Action: 'events:PutEvents' });
    });
  });
});

describe('admin', () => {
  it('has no trigger: only IAM principals may invoke it', () => {
    each(({ app }) => {
      const permissions = resourcesOfType(app, 'AWS::Lambda::Permission').filter(([, p]) =>
        JSON.stringify(p.Properties?.FunctionName).includes('AdminLambdaFunction'),
      );
      const sources = [
        ...resourcesOfType(app, 'AWS::Events::Rule'),
        ...resourcesOfType(app, 'AWS::Lambda::EventSourceMapping'),
      ].filter(([, r]) => JSON.stringify(r).includes('AdminLambdaFunction'));

      expect(sources).toEqual([]);
      expect(resourcesOfType(app, 'AWS::Lambda::Url')).toEqual([]);
      expect(permissions.length).toBeGreaterThan(0);
      expect(permissions.filter(([, p]) => /amazonaws\.com/.test(JSON.stringify(p.Properties?.Principal)))).toEqual([]);
    });
  });
});

describe('stack outputs', () => {
  it('name the ingress bus, the four tables and admin in every region, which the deployed e2e target reads', () => {
    each(({ app }) => {
      expect(app.Outputs).toMatchObject({
        IngressBusName: { Value: { Ref: 'IngressBus' } },
        InboxTableName: { Value: 'switchyard-prod-inbox' },
        LedgerTableName: { Value: 'switchyard-prod-ledger' },
        ControlTableName: { Value: 'switchyard-prod-control' },
        QuarantineTableName: { Value: 'switchyard-prod-quarantine' },
        AdminFunctionName: { Value: { Ref: 'AdminLambdaFunction' } },
      });
    });
  });
});

describe('bundles', () => {
  it.each(FUNCTIONS)(
    '%s is a minified CommonJS esbuild bundle with a source map, on nodejs22.x, within the size budget',
    (fn) => {
      each(({ region, app, bundles }) => {
        const bundle = bundles[fn];
        const js = bundle?.entries.find((e) => e.name === `functions/${fn}/handler.js`);
        const code = js?.read().toString('utf8') ?? '';
        const lambda = app.Resources[`${capitalize(fn)}LambdaFunction`]?.Properties ?? {};

        expect(bundle?.entries.map((e) => e.name).sort(), `${fn} in ${region}`).toEqual([
          `functions/${fn}/handler.js`,
          `functions/${fn}/handler.js.map`,
        ]);
        expect(js?.bytes).toBeLessThanOrEqual(MAX_HANDLER_JS_BYTES);
        expect(bundle?.zipBytes).toBeLessThanOrEqual(MAX_ZIP_BYTES);
        expect(code).toMatch(/module\.exports\s*=/);
        // Minified: unminified esbuild output averages ~40 characters a line, minified thousands.
        expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
        expect(code).toContain(`//# sourceMappingURL=handler.js.map`);
        expect(lambda).toMatchObject({
          Runtime: 'nodejs22.x',
          Handler: `functions/${fn}/handler.handler`,
          Architectures: ['arm64'],
        });
        expect((lambda.Environment as { Variables: Record<string, string> }).Variables.NODE_OPTIONS).toContain(
          '--enable-source-maps',
        );
      });
    },
  );

  it('sets every variable shared/config.ts reads, and never the local-cloud endpoints', () => {
    each(({ region, app }) => {
      const variables = (
        app.Resources.IngestLambdaFunction?.Properties?.Environment as { Variables: Record<string, string> }
      ).Variables;

      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining([
          'STAGE',
          'STAGE_REGIONS',
          'PRIMARY_REGION',
          'INBOX_TABLE',
          'LEDGER_TABLE',
          'CONTROL_TABLE',
          'QUARANTINE_TABLE',
          'INGRESS_BUS_NAME',
          'ROUTES_CACHE_TTL_SECONDS',
          'MAX_EVENT_BYTES',
          'RETENTION_DAYS',
          'POWERTOOLS_SERVICE_NAME',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_LOG_LEVEL',
        ]),
      );
      expect(variables.STAGE_REGIONS?.split(',')).toContain(region);
      expect(Object.keys(variables).filter((name) => name.endsWith('_ENDPOINT'))).toEqual([]);
    });
  });
});
