import { beforeAll, describe, expect, it } from 'vitest';
import { offlineStreamArn } from '../../stages/lib/inbox-streams';
import { FUNCTIONS, zonesIn } from '../../stages/lib/deployment-settings';
import { tableLogicalId } from '../../stages/lib/stack-tables';
import { owningRegion, tableLayout } from '../../stages/lib/table-layout';
import { grantSetOfRole, grantsOfRole } from './helpers/cfn-values';
import { expectedGrants } from './helpers/expected-grants';
import type { PolicyContext } from './helpers/iam-expectations';
import { loadPackagedStage, resourcesOfType, ROOT, type PackagedStage } from './helpers/packaged-stage';
import { createSdkCallGraph, type SdkCallGraph } from './helpers/sdk-calls';

const STAGE = 'prod';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const roleOf = (fn: string): string => `${fn[0]?.toUpperCase() ?? ''}${fn.slice(1)}Role`;
const PACKAGING_TIMEOUT_MS = 600_000;

let packaged: PackagedStage;
let graph: SdkCallGraph;

beforeAll(() => {
  packaged = loadPackagedStage(STAGE);
  graph = createSdkCallGraph(
    ROOT,
    FUNCTIONS.map((fn) => `functions/${fn}/handler.ts`),
  );
  for (const fn of FUNCTIONS)
    expect(
      graph.callsFrom(`functions/${fn}/handler.ts`),
      `found no AWS SDK call in ${fn}; the analysis is broken`,
    ).not.toHaveLength(0);
}, PACKAGING_TIMEOUT_MS);

/** The names a region's roles must point at, computed from the stage file and table layout, not from the template. */
const contextFor = (region: string): PolicyContext => {
  const { config } = packaged;
  const zones = zonesIn(config, region);
  const neighbours = config.regions.filter((r) => zones.some((z) => config.residencyZones[z]?.includes(r)));
  const inboxes = tableLayout(STAGE, config).filter((t) => t.logical === 'inbox' && t.regions.includes(region));
  return {
    stage: STAGE,
    region,
    regions: config.regions,
    zones,
    peers: neighbours.filter((r) => r !== region),
    busRegions: neighbours,
    targetBuses: config.targetBuses,
    inboxStreams: inboxes.map((t) =>
      owningRegion(t, config) === region
        ? `GetAtt:${tableLogicalId(t)}.StreamArn`
        : offlineStreamArn(STAGE, region, t.zone ?? ''),
    ),
  };
};

const appOf = (region: string) => {
  const found = packaged.regions.find((r) => r.region === region);
  if (!found) throw new Error(`stages/prod.yml no longer lists ${region}; update this test's region list.`);
  return found.app;
};

describe.each(REGIONS)('IAM in the prod stack for %s', (region) => {
  it.each([...FUNCTIONS])(
    'gives %s exactly the actions its code sends, on the resources and partition keys it addresses, plus the platform grants',
    (fn) => {
      const expected = expectedGrants(graph, fn, contextFor(region));

      const role = appOf(region).Resources[roleOf(fn)];
      const actual = grantSetOfRole(role ?? {}, region);

      expect(role, `${roleOf(fn)} is missing from the ${region} template`).toBeDefined();
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    },
  );

  it('lets route write no control or coord item, the sweeper only its job rows, and limits every other write there to the partitions the function owns', () => {
    const shared = /:table\/switchyard-prod-(control|coord)$/;
    const writes = (fn: string) =>
      grantsOfRole(appOf(region).Resources[roleOf(fn)] ?? {}, region).filter(
        (g) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(g.action) && shared.test(g.resource),
      );

    expect(writes('route')).toEqual([]);
    const jobKeys = new Set(['JOB', 'JOBPART#*', 'JOBACTIVE', 'EPOCH#*#*']);
    expect(
      writes('sweeper')
        .flatMap((g) => g.leadingKeys ?? [])
        .filter((key) => !jobKeys.has(key)),
    ).toEqual([]);
    for (const fn of ['ingest', 'sweeper', 'health', 'admin']) {
      expect(writes(fn).length, fn).toBeGreaterThan(0);
      expect(
        writes(fn).filter((g) => !g.conditionKeys.includes('dynamodb:LeadingKeys') || !g.leadingKeys?.length),
      ).toEqual([]);
    }
  });

  it('never grants a wildcard action or a wildcard resource', () => {
    const grants = resourcesOfType(appOf(region), 'AWS::IAM::Role').flatMap(([, role]) => grantsOfRole(role, region));

    // `log-group:<name>:*` is the narrowest form for log streams of one group; nothing else may use `*`.
    const wildcard = (g: { action: string; resource: string }) =>
      g.action.includes('*') || g.resource.replace(/:log-group:([^:*]+):\*$/, ':log-group:$1').includes('*');

    expect(grants.length).toBeGreaterThan(0);
    expect(grants.filter(wildcard)).toEqual([]);
  });

  it('limits every KMS grant to calls made through SQS', () => {
    const kms = resourcesOfType(appOf(region), 'AWS::IAM::Role')
      .flatMap(([, role]) => grantsOfRole(role, region))
      .filter((g) => g.action.startsWith('kms:'));

    expect(kms.length).toBeGreaterThan(0);
    expect(kms.filter((g) => !g.conditionKeys.includes('kms:ViaService'))).toEqual([]);
  });

  it('gives each function its own role, assumable only by Lambda, with no managed policies', () => {
    const app = appOf(region);
    const roles = resourcesOfType(app, 'AWS::IAM::Role');
    const roleOfFunction = FUNCTIONS.map((fn) =>
      JSON.stringify(app.Resources[`${roleOf(fn).replace('Role', '')}LambdaFunction`]?.Properties?.Role),
    );

    expect(roles.map(([id]) => id).sort()).toEqual(FUNCTIONS.map(roleOf).sort());
    expect(new Set(roleOfFunction).size).toBe(FUNCTIONS.length);
    for (const [, role] of roles) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
    }
  });
});
