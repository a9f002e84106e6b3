import { beforeAll, describe, expect, it } from 'vitest';
import { offlineStreamArn } from '../../scripts/lib/package-inputs';
import { grantsOfRole } from './helpers/cfn-values';
import { grantsForCall, platformGrants, type PolicyContext } from './helpers/iam-expectations';
import { loadPackagedStage, resourcesOfType, ROOT, type PackagedStage } from './helpers/packaged-stage';
import { createSdkCallGraph, type SdkCall } from './helpers/sdk-calls';

const STAGE = 'prod';
const FUNCTIONS = ['ingest', 'route', 'health', 'admin'] as const;
const ROLE_OF: Record<(typeof FUNCTIONS)[number], string> = {
  ingest: 'IngestRole',
  route: 'RouteRole',
  health: 'HealthRole',
  admin: 'AdminRole',
};
const PACKAGING_TIMEOUT_MS = 600_000;

let packaged: PackagedStage;
let callsOf: Record<string, SdkCall[]>;

beforeAll(() => {
  packaged = loadPackagedStage(STAGE);
  const graph = createSdkCallGraph(
    ROOT,
    FUNCTIONS.map((fn) => `functions/${fn}/handler.ts`),
  );
  callsOf = Object.fromEntries(FUNCTIONS.map((fn) => [fn, graph.callsFrom(`functions/${fn}/handler.ts`)]));
  for (const fn of FUNCTIONS)
    expect(callsOf[fn], `found no AWS SDK call in ${fn}; the analysis is broken`).not.toHaveLength(0);
}, PACKAGING_TIMEOUT_MS);

const contextFor = (region: string, isPrimary: boolean): PolicyContext => ({
  stage: STAGE,
  region,
  regions: packaged.config.regions,
  targetBuses: packaged.config.targetBuses,
  inboxStream: isPrimary ? 'GetAtt:InboxTable.StreamArn' : offlineStreamArn(STAGE, region),
});

const unique = (items: string[]): string[] => [...new Set(items)].sort();

describe.each(['us-east-1', 'eu-west-1', 'ap-southeast-2'])('IAM in the prod stack for %s', (region) => {
  const regionOf = () => {
    const found = packaged.regions.find((r) => r.region === region);
    if (!found) throw new Error(`stages/prod.yml no longer lists ${region}; update this test's region list.`);
    return found;
  };

  it.each(FUNCTIONS)(
    'gives %s exactly the actions its code sends, on the resources it addresses, plus the platform grants',
    (fn) => {
      const { app, isPrimary } = regionOf();
      const ctx = contextFor(region, isPrimary);
      const expected = unique([
        ...(callsOf[fn] ?? []).flatMap((call) => grantsForCall(call, ctx)),
        ...platformGrants(fn, ctx),
      ]);

      const role = app.Resources[ROLE_OF[fn]];
      const actual = unique(grantsOfRole(role ?? {}, region).map((g) => `${g.action} ${g.resource}`));

      expect(role, `${ROLE_OF[fn]} is missing from the ${region} template`).toBeDefined();
      expect(actual).toEqual(expected);
    },
  );

  it('never grants a wildcard action or a wildcard resource', () => {
    const grants = resourcesOfType(regionOf().app, 'AWS::IAM::Role').flatMap(([, role]) => grantsOfRole(role, region));

    // `log-group:<name>:*` is the narrowest form for log streams of one group; nothing else may use `*`.
    const wildcard = (g: { action: string; resource: string }) =>
      g.action.includes('*') || g.resource.replace(/:log-group:([^:*]+):\*$/, ':log-group:$1').includes('*');

    expect(grants.length).toBeGreaterThan(0);
    expect(grants.filter(wildcard)).toEqual([]);
  });

  it('limits every KMS grant to calls made through SQS', () => {
    const kms = resourcesOfType(regionOf().app, 'AWS::IAM::Role')
      .flatMap(([, role]) => grantsOfRole(role, region))
      .filter((g) => g.action.startsWith('kms:'));

    expect(kms.length).toBeGreaterThan(0);
    expect(kms.filter((g) => !g.conditionKeys.includes('kms:ViaService'))).toEqual([]);
  });

  it('gives each function its own role, assumable only by Lambda, with no managed policies', () => {
    const { app } = regionOf();
    const roles = resourcesOfType(app, 'AWS::IAM::Role');
    const roleOfFunction = FUNCTIONS.map((fn) =>
      JSON.stringify(app.Resources[`${ROLE_OF[fn].replace('Role', '')}LambdaFunction`]?.Properties?.Role),
    );

    expect(roles.map(([id]) => id).sort()).toEqual(Object.values(ROLE_OF).sort());
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
