import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogYaml } from '../../shared/domain/catalog';
import { packagesDir } from '../../scripts/lib/package-inputs';
import { proveResidency, type ResidencyProof } from '../../scripts/lib/compliance/residency-proof';
import type { RegionTemplates, Template } from '../../scripts/lib/packaged-templates';
import { loadPackagedStage, ROOT, type PackagedStage } from './helpers/packaged-stage';

const run = promisify(execFile);
const PACKAGING_TIMEOUT_MS = 900_000;
const CATALOG_OF: Record<string, string> = {
  prod: 'routes/sample.yaml',
  dev: 'routes/dev.yaml',
  local: 'routes/sample.yaml',
};
const stages: Record<string, PackagedStage> = {};

beforeAll(() => {
  for (const stage of Object.keys(CATALOG_OF)) stages[stage] = loadPackagedStage(stage);
}, PACKAGING_TIMEOUT_MS);

const catalog = (file: string): unknown => parseCatalogYaml(readFileSync(path.join(ROOT, file), 'utf8'));
const copyOf = <T>(value: T): T => structuredClone(value);

/** The proof of a stage, after `breakIt` changed a copy of its templates. */
const prove = (
  stage: string,
  breakIt: (regions: RegionTemplates[]) => void = () => undefined,
  catalogFile = CATALOG_OF[stage] ?? '',
): ResidencyProof => {
  const packaged = stages[stage];
  if (!packaged) throw new Error(`${stage} was not packaged`);
  const templates = copyOf(
    packaged.regions.map(({ region, isPrimary, app, keys }) => ({ region, isPrimary, app, keys })),
  );
  breakIt(templates);
  return proveResidency({
    stage,
    config: packaged.config,
    templates,
    catalogFile,
    catalogDocument: catalog(catalogFile),
  });
};
const appIn = (regions: RegionTemplates[], region: string): Template => {
  const found = regions.find((r) => r.region === region);
  if (!found) throw new Error(`no ${region} template`);
  return found.app;
};
const messages = (proof: ResidencyProof) => proof.violations.map((v) => `${v.scope} ${v.key}: ${v.message}`);

describe('the residency compliance check', () => {
  it.each(Object.keys(CATALOG_OF))(
    'passes for the %s sample stage with its catalog, with a proof row per zone and region',
    (stage) => {
      const proof = prove(stage);

      expect(messages(proof)).toEqual([]);
      expect(proof.zones.map((z) => z.zone)).toEqual(Object.keys(stages[stage]?.config.residencyZones ?? {}));
      expect(proof.regions.map((r) => r.region)).toEqual(stages[stage]?.config.regions);
    },
  );

  it("proves from the catalog that an eu event reaches only eu-west-1's buses, and a global one every region", () => {
    const zones = Object.fromEntries(prove('prod').zones.map((z) => [z.zone, z]));

    expect(zones.eu?.buses.every((bus) => bus.endsWith('@eu-west-1'))).toBe(true);
    expect(zones.eu?.blocked).toBeGreaterThan(0);
    expect(zones.global?.buses).toContain('fulfilment@ap-southeast-2');
  });

  it('fails when a zone table has a replica outside its zone', () => {
    const proof = prove('prod', (regions) => {
      const table = appIn(regions, 'eu-west-1').Resources.InboxEuTable?.Properties as {
        Replicas: Array<{ Region: string }>;
      };
      table.Replicas.push({ ...table.Replicas[0], Region: 'us-east-1' });
    });

    expect(messages(proof)).toEqual([
      'zone eu: switchyard-prod-eu-inbox: has a replica in us-east-1, outside the zone (eu-west-1)',
    ]);
  });

  it('fails when a route role may PutEvents to a region outside its zones', () => {
    const proof = prove('dev', (regions) => {
      const statements = (
        appIn(regions, 'eu-west-1').Resources.RouteRole?.Properties?.Policies as Array<{
          PolicyDocument: { Statement: Array<{ Action: string[]; Resource: unknown[] }> };
        }>
      )[0]?.PolicyDocument.Statement;
      statements
        ?.find((s) => s.Action.includes('events:PutEvents'))
        ?.Resource.push({
          'Fn::Sub': 'arn:${AWS::Partition}:events:us-east-1:${AWS::AccountId}:event-bus/switchyard-dev-sink',
        });
    });

    expect(messages(proof)).toEqual([
      expect.stringMatching(
        /^region eu-west-1: RouteRole in eu-west-1 may events:PutEvents on .*us-east-1.*: us-east-1 is in no zone of eu-west-1/,
      ),
    ]);
  });

  it("fails when route maps another zone's inbox, or a region's quarantine is replicated", () => {
    const proof = prove('prod', (regions) => {
      const ap = appIn(regions, 'ap-southeast-2');
      const [mapping] = Object.values(ap.Resources).filter(
        (r) =>
          r.Type === 'AWS::Lambda::EventSourceMapping' && String(r.Properties?.EventSourceArn).includes('global-inbox'),
      );
      if (mapping?.Properties)
        mapping.Properties.EventSourceArn = String(mapping.Properties.EventSourceArn).replace(
          'global',
          'transatlantic',
        );
      const quarantine = appIn(regions, 'us-east-1').Resources.QuarantineTable;
      if (quarantine) Object.assign(quarantine, { Type: 'AWS::DynamoDB::GlobalTable' });
      Object.assign(quarantine?.Properties ?? {}, { Replicas: [{ Region: 'us-east-1' }, { Region: 'eu-west-1' }] });
    });

    expect(messages(proof)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^region ap-southeast-2: .* reads .*switchyard-prod-transatlantic-inbox.*not a zone inbox replica/,
        ),
        expect.stringMatching(
          /^region us-east-1: switchyard-prod-quarantine must be a table of its own in the us-east-1 stack/,
        ),
      ]),
    );
  });

  it("fails when the catalog's zones exceed the stage's", () => {
    expect(messages(prove('dev', undefined, 'routes/sample.yaml'))).toEqual([
      'catalog catalog: zones.global: zone global is not a zone of this stage (stage zones: eu)',
      'catalog catalog: zones.transatlantic: zone transatlantic is not a zone of this stage (stage zones: eu)',
    ]);
  });
});

describe('npm run compliance', () => {
  const broken = mkdtempSync(path.join(tmpdir(), 'switchyard-compliance-'));
  afterAll(() => rmSync(broken, { recursive: true, force: true }));
  const cli = (...args: string[]) =>
    run(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/compliance.ts', ...args],
      {
        cwd: ROOT,
      },
    ).then(
      (out) => ({ code: 0, stdout: out.stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it('prints the proof table and exits 0 for prod', async () => {
    const { code, stdout } = await cli('prod');

    expect(code).toBe(0);
    expect(stdout).toMatch(/\| eu +\| eu-west-1 +\| inbox, ledger: eu-west-1 → eu-west-1 +\|/);
    expect(stdout).toContain('PASS: no zone can store or deliver data outside its regions.');
  }, 60_000);

  it('exits 1 and names the violation for templates where the eu ledger replicates to ap-southeast-2', async () => {
    cpSync(packagesDir(ROOT, 'prod'), broken, { recursive: true });
    const file = path.join(broken, 'eu-west-1', 'app', 'cloudformation-template-update-stack.json');
    const template = JSON.parse(readFileSync(file, 'utf8')) as Template;
    (template.Resources.LedgerEuTable?.Properties?.Replicas as Array<Record<string, unknown>>).push({
      Region: 'ap-southeast-2',
    });
    writeFileSync(file, JSON.stringify(template));

    const { code, stdout } = await cli('prod', '--packages', broken);

    expect(code).toBe(1);
    expect(stdout).toContain(
      'zone eu: switchyard-prod-eu-ledger: has a replica in ap-southeast-2, outside the zone (eu-west-1)',
    );
  }, 60_000);
});
