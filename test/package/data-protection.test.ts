import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../shared/table-definitions';
import { owningRegion, tableLayout } from '../../stages/lib/table-layout';
import { loadPackagedStage, resourcesOfType, type PackagedStage, type Template } from './helpers/packaged-stage';

const PACKAGING_TIMEOUT_MS = 600_000;
const DATA_KEY = { 'Fn::ImportValue': 'switchyard-prod-keys-DataKeyArn' };

let packaged: PackagedStage;
beforeAll(() => {
  packaged = loadPackagedStage('prod');
}, PACKAGING_TIMEOUT_MS);

const props = (template: Template, id: string): Record<string, unknown> => template.Resources[id]?.Properties ?? {};
type TableResource = Template['Resources'][string] & { region: string };
/** Every DynamoDB table resource of every region's stack, with the region whose stack declares it. */
const declaredTables = (): TableResource[] =>
  packaged.regions.flatMap(({ region, app }) =>
    Object.values(app.Resources)
      .filter((r) => r.Type === 'AWS::DynamoDB::GlobalTable' || r.Type === 'AWS::DynamoDB::Table')
      .map((r) => ({ ...r, region })),
  );
const replicaRegions = (table: TableResource): string[] =>
  ((table.Properties?.Replicas ?? []) as Array<{ Region: string }>).map((r) => r.Region);

describe('tables', () => {
  it('declares each global table once, in the stack of its owning region, with a replica in exactly its regions', () => {
    const layout = tableLayout('prod', packaged.config).filter((t) => t.global);
    const declared = declaredTables().filter((t) => t.Type === 'AWS::DynamoDB::GlobalTable');

    expect(declared.map((t) => t.Properties?.TableName).sort()).toEqual(layout.map((t) => t.name).sort());
    for (const table of layout) {
      const found = declared.find((t) => t.Properties?.TableName === table.name);
      expect({ table: table.name, stack: found?.region, replicas: found && replicaRegions(found) }).toEqual({
        table: table.name,
        stack: owningRegion(table, packaged.config),
        replicas: table.regions,
      });
    }
  });

  it("keeps each zone's tables inside its zone: the eu tables have one replica, in eu-west-1", () => {
    const eu = declaredTables().filter((t) => String(t.Properties?.TableName).startsWith('switchyard-prod-eu-'));

    expect(eu.map((t) => [t.Properties?.TableName, t.region, replicaRegions(t)])).toEqual([
      ['switchyard-prod-eu-inbox', 'eu-west-1', ['eu-west-1']],
      ['switchyard-prod-eu-ledger', 'eu-west-1', ['eu-west-1']],
    ]);
  });

  it('gives every region its own quarantine and coord table, never replicated', () => {
    for (const { region, app } of packaged.regions) {
      const regional = resourcesOfType(app, 'AWS::DynamoDB::Table').map(([id, t]) => [id, t.Properties?.TableName]);

      expect(regional, region).toEqual([
        ['QuarantineTable', 'switchyard-prod-quarantine'],
        ['CoordTable', 'switchyard-prod-coord'],
      ]);
    }
  });

  it.each(Object.values(TABLES).map((d) => [d.logical, d] as const))(
    '%s matches shared/table-definitions.ts: keys, indexes, TTL, stream',
    (logical, definition) => {
      const tables = declaredTables().filter((t) =>
        new RegExp(`^switchyard-prod-(\\w+-)?${logical}$`).test(String(t.Properties?.TableName)),
      );
      const keys = (pk: string, sk?: string) => [
        { AttributeName: pk, KeyType: 'HASH' },
        ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' }] : []),
      ];

      expect(tables.length).toBeGreaterThan(0);
      for (const { Properties: table = {} } of tables) {
        expect(table.KeySchema).toEqual(keys(definition.partitionKey, definition.sortKey));
        expect(
          ((table.GlobalSecondaryIndexes ?? []) as Array<{ IndexName: string; KeySchema: unknown }>).map((i) => [
            i.IndexName,
            i.KeySchema,
          ]),
        ).toEqual(definition.indexes.map((i) => [i.name, keys(i.partitionKey, i.sortKey)]));
        expect(table.TimeToLiveSpecification).toEqual(
          definition.ttlAttribute ? { AttributeName: definition.ttlAttribute, Enabled: true } : undefined,
        );
        expect(table.StreamSpecification).toEqual(
          definition.stream ? { StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
        );
        expect(table.BillingMode).toBe('PAY_PER_REQUEST');
      }
    },
  );

  it("encrypts every table and replica with its region's data key, keeps PITR and deletion protection on, and retains the data", () => {
    for (const table of declaredTables()) {
      const name = String(table.Properties?.TableName);
      expect(table.DeletionPolicy, name).toBe('Retain');
      if (table.Type === 'AWS::DynamoDB::Table') {
        expect(table.Properties?.SSESpecification, name).toEqual({
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: DATA_KEY,
        });
        expect(table.Properties?.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(table.Properties?.DeletionProtectionEnabled).toBe(true);
        continue;
      }
      expect(table.Properties?.SSESpecification, name).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      for (const replica of table.Properties?.Replicas as Array<Record<string, unknown>>) {
        expect(replica.SSESpecification, `${name} ${String(replica.Region)}`).toEqual({
          KMSMasterKeyId: {
            'Fn::Sub': `arn:\${AWS::Partition}:kms:${String(replica.Region)}:\${AWS::AccountId}:alias/switchyard-prod-data`,
          },
        });
        expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(replica.DeletionProtectionEnabled).toBe(true);
      }
    }
  });
});

describe.each(['us-east-1', 'eu-west-1', 'ap-southeast-2'])('encryption in %s', (region) => {
  const app = () => {
    const found = packaged.regions.find((r) => r.region === region);
    if (!found) throw new Error(`stages/prod.yml no longer lists ${region}.`);
    return found.app;
  };

  it('encrypts every queue, the ingress bus, the alarm topic and every log group with the data key', () => {
    const template = app();
    const encryption: Array<[string, unknown]> = [
      ...resourcesOfType(template, 'AWS::SQS::Queue').map(
        ([id, r]) => [id, r.Properties?.KmsMasterKeyId] as [string, unknown],
      ),
      ...resourcesOfType(template, 'AWS::SNS::Topic').map(
        ([id, r]) => [id, r.Properties?.KmsMasterKeyId] as [string, unknown],
      ),
      ...resourcesOfType(template, 'AWS::Events::EventBus').map(
        ([id, r]) => [id, r.Properties?.KmsKeyIdentifier] as [string, unknown],
      ),
      ...resourcesOfType(template, 'AWS::Logs::LogGroup').map(
        ([id, r]) => [id, r.Properties?.KmsKeyId] as [string, unknown],
      ),
    ];

    expect(encryption.map(([id]) => id).sort()).toEqual(
      [
        'AdminLogGroup',
        'AlarmTopic',
        'HealthLogGroup',
        'IngestDlq',
        'IngestFailedQueue',
        'IngestLogGroup',
        'IngressBus',
        'RouteFailedQueue',
        'RouteLogGroup',
        'SweeperLogGroup',
      ].sort(),
    );
    expect(encryption.filter(([, key]) => JSON.stringify(key) !== JSON.stringify(DATA_KEY))).toEqual([]);
  });

  it('gives the ingress bus a dead-letter queue for events it cannot encrypt or decrypt', () => {
    expect(props(app(), 'IngressBus').DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['IngestDlq', 'Arn'] } });
  });

  it('keeps the data key in its own retained, rotating stack, exported for the app stack', () => {
    const keys = packaged.regions.find((r) => r.region === region)?.keys ?? { Resources: {} };
    const [[, key] = []] = resourcesOfType(keys, 'AWS::KMS::Key');

    expect(key?.DeletionPolicy).toBe('Retain');
    expect(key?.Properties?.EnableKeyRotation).toBe(true);
    expect(resourcesOfType(keys, 'AWS::KMS::Alias').map(([, a]) => a.Properties?.AliasName)).toEqual([
      'alias/switchyard-prod-data',
    ]);
    expect(JSON.stringify(keys.Outputs)).toContain('switchyard-prod-keys-DataKeyArn');
  });

  it('lets services and DynamoDB use the key only under a condition; only the account root is unconditional', () => {
    const keys = packaged.regions.find((r) => r.region === region)?.keys ?? { Resources: {} };
    const [[, key] = []] = resourcesOfType(keys, 'AWS::KMS::Key');
    const statements = (
      key?.Properties?.KeyPolicy as { Statement: Array<{ Sid: string; Principal: unknown; Condition?: unknown }> }
    ).Statement;
    const unconditional = statements.filter((s) => s.Condition === undefined);

    expect(unconditional.map((s) => s.Principal)).toEqual([
      { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
    ]);
    expect(statements.length).toBeGreaterThan(1);
  });
});
