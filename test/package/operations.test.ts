import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, functionTimeouts, scheduleMs, zonesIn } from '../../stages/lib/deployment-settings';
import {
  loadPackagedStage,
  resourcesOfType,
  ROOT,
  type PackagedRegion,
  type PackagedStage,
} from './helpers/packaged-stage';

const PACKAGING_TIMEOUT_MS = 600_000;
/**
 * Bundle budget, per function. Cold start grows with the code Lambda has to load, and the SDK
 * is bundled on purpose. Raise the budget only with a reason in the commit.
 */
const MAX_HANDLER_JS_BYTES = 1.5 * 1024 * 1024;
const MAX_ZIP_BYTES = 2 * 1024 * 1024;
/** EventBridge's limit on a bus policy, in characters. */
const MAX_BUS_POLICY_CHARS = 10_240;

let packaged: PackagedStage;
beforeAll(() => {
  packaged = loadPackagedStage('prod');
}, PACKAGING_TIMEOUT_MS);

const each = (fn: (region: PackagedRegion) => void): void => {
  expect(packaged.regions.map((r) => r.region)).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
  for (const region of packaged.regions) fn(region);
};
const capitalize = (name: string): string => `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;
const props = (region: PackagedRegion, id: string): Record<string, unknown> =>
  region.app.Resources[id]?.Properties ?? {};

describe('route stream mappings', () => {
  it('map one inbox per zone with a replica in the region, reporting partial failures, bisecting, bounded retries, home filter, failure queue', () => {
    each(({ region, app }) => {
      const mappings = resourcesOfType(app, 'AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties ?? {});
      const tables = mappings.map((m) =>
        JSON.stringify(m.EventSourceArn)
          .match(/switchyard-prod-([\w-]+)-inbox|Inbox(\w+)Table/)
          ?.slice(1)
          .join(''),
      );

      expect(mappings.length, region).toBe(zonesIn(packaged.config, region).length);
      expect(tables.map((t) => t?.toLowerCase()).sort()).toEqual([...zonesIn(packaged.config, region)].sort());
      for (const mapping of mappings) {
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
          { eventName: ['INSERT'], dynamodb: { NewImage: { home: { S: [region] } } } },
          { eventName: ['MODIFY'] },
        ]);
      }
    });
  });
});

describe('scheduled functions', () => {
  it('run sweeper and health on the stage file schedules, without async retries, with a timeout covering one period', () => {
    each((region) => {
      const timeouts = functionTimeouts(packaged.config);
      for (const fn of ['sweeper', 'health'] as const) {
        const rules = resourcesOfType(region.app, 'AWS::Events::Rule').filter(([, r]) =>
          JSON.stringify(r.Properties?.Targets).includes(`${capitalize(fn)}LambdaFunction`),
        );

        expect(rules.map(([, r]) => r.Properties?.ScheduleExpression)).toEqual([packaged.config[fn].schedule]);
        expect(props(region, `${capitalize(fn)}LambdaEvConf`).MaximumRetryAttempts).toBe(0);
        expect(props(region, `${capitalize(fn)}LambdaFunction`).Timeout).toBe(timeouts[fn]);
        expect(timeouts[fn] * 1000).toBeGreaterThan(scheduleMs(packaged.config[fn].schedule));
      }
    });
  });

  it('gives every function the timeout of functionTimeouts', () => {
    each((region) => {
      const timeouts = functionTimeouts(packaged.config);
      expect(FUNCTIONS.map((fn) => props(region, `${capitalize(fn)}LambdaFunction`).Timeout)).toEqual(
        FUNCTIONS.map((fn) => timeouts[fn]),
      );
    });
  });
});

describe('ingest', () => {
  it('is triggered by a rule on the ingress bus with a retry policy and a dead-letter queue, and parks failed runs', () => {
    each((region) => {
      const rules = resourcesOfType(region.app, 'AWS::Events::Rule').filter(
        ([, r]) => JSON.stringify(r.Properties?.EventBusName) === '{"Ref":"IngressBus"}',
      );
      const target = (rules[0]?.[1].Properties?.Targets as Array<Record<string, unknown>> | undefined)?.[0] ?? {};

      expect(rules).toHaveLength(1);
      expect(target.Arn).toEqual({ 'Fn::GetAtt': ['IngestLambdaFunction', 'Arn'] });
      expect(target.RetryPolicy).toEqual({
        MaximumEventAgeInSeconds: expect.any(Number),
        MaximumRetryAttempts: expect.any(Number),
      });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['IngestDlq', 'Arn'] } });
      expect(props(region, 'IngestLambdaEvConf').DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': ['IngestFailedQueue', 'Arn'] } },
      });
    });
  });

  it("binds each tenant's principals to its sources on the ingress bus, denies everyone else, and fits EventBridge's policy limit", () => {
    each((region) => {
      const policy = props(region, 'IngressBus').Policy as { Statement: Array<Record<string, unknown>> };
      const allows = policy.Statement.filter((s) => s.Effect === 'Allow');
      // The longest values the pseudo parameters can take.
      const resolved = JSON.stringify(policy)
        .replaceAll('${AWS::Partition}', 'aws-us-gov')
        .replaceAll('${AWS::AccountId}', '123456789012')
        .replaceAll('${AWS::Region}', region.region);

      expect(allows.map((s) => (s.Condition as Record<string, Record<string, unknown>>).StringEquals)).toEqual(
        Object.values(packaged.config.publishers).map((b) => ({ 'events:source': b.sources })),
      );
      expect(policy.Statement.find((s) => s.Sid === 'DenyUnlistedPrincipals')).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Condition: { ArnNotLike: { 'aws:PrincipalArn': expect.any(Array) } },
      });
      expect(policy.Statement.filter((s) => String(s.Sid).startsWith('DenyOtherSources')).length).toBeGreaterThan(0);
      expect(resolved.length).toBeLessThanOrEqual(MAX_BUS_POLICY_CHARS);
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
  it('keep the names the deployed e2e target reads, and name every zone table, coord and quarantine of the region', () => {
    each(({ region, app }) => {
      const zones = zonesIn(packaged.config, region);

      expect(app.Outputs).toMatchObject({
        IngressBusName: { Value: { Ref: 'IngressBus' } },
        InboxTableName: { Value: 'switchyard-prod-global-inbox' },
        LedgerTableName: { Value: 'switchyard-prod-global-ledger' },
        ControlTableName: { Value: 'switchyard-prod-control' },
        QuarantineTableName: { Value: 'switchyard-prod-quarantine' },
        CoordTableName: { Value: 'switchyard-prod-coord' },
        AdminFunctionName: { Value: { Ref: 'AdminLambdaFunction' } },
        [`Inbox${capitalize(zones[0] ?? '')}TableName`]: { Value: `switchyard-prod-${zones[0]}-inbox` },
      });
      expect(Object.keys(JSON.parse(String((app.Outputs?.ZoneTables as { Value: string }).Value)))).toEqual(zones);
    });
  });
});

/** The environment variables shared/config.ts reads, besides AWS_REGION (set by Lambda) and local-only endpoints. */
const configVariables = (): string[] => {
  const source = readFileSync(path.join(ROOT, 'shared', 'config.ts'), 'utf8');
  const names = [...source.matchAll(/\(env, '([A-Z_]+)'|env\.([A-Z_]+)/g)].map((m) => m[1] ?? m[2] ?? '');
  return [...new Set(names)].filter((n) => n !== 'AWS_REGION' && !n.endsWith('_ENDPOINT')).sort();
};

describe('bundles', () => {
  it.each([...FUNCTIONS])(
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

      expect(configVariables().length).toBeGreaterThan(10);
      expect(Object.keys(variables)).toEqual(expect.arrayContaining(configVariables()));
      expect(variables.STAGE_REGIONS?.split(',')).toContain(region);
      expect(Object.keys(variables).filter((name) => name.endsWith('_ENDPOINT'))).toEqual([]);
    });
  });
});
