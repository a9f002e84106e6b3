import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DEFINITIONS } from '../../shared/table-definitions';
import { loadPackagedStage, resourcesOfType, type PackagedStage, type Template } from './helpers/packaged-stage';

const PACKAGING_TIMEOUT_MS = 600_000;
const DATA_KEY = { 'Fn::ImportValue': 'switchyard-prod-keys-DataKeyArn' };

let packaged: PackagedStage;
beforeAll(() => {
  packaged = loadPackagedStage('prod');
}, PACKAGING_TIMEOUT_MS);

const props = (template: Template, id: string): Record<string, unknown> => template.Resources[id]?.Properties ?? {};
const tables = (template: Template) => resourcesOfType(template, 'AWS::DynamoDB::GlobalTable');

/** Evaluates the one condition the stack uses, as CloudFormation would in `region`. */
const conditionHolds = (template: Template, name: string, region: string): boolean => {
  const condition = template.Conditions?.[name] as { 'Fn::Equals'?: [unknown, unknown] } | undefined;
  const [left, right] = condition?.['Fn::Equals'] ?? [];
  const value = (v: unknown) => (JSON.stringify(v) === '{"Ref":"AWS::Region"}' ? region : v);
  if (left === undefined) throw new Error(`Condition ${name} is not a Fn::Equals the test understands.`);
  return value(left) === value(right);
};

describe('global tables', () => {
  it('are created only by the primary region stack, one replica per stage region', () => {
    for (const { region, app, isPrimary } of packaged.regions) {
      const created = tables(app).filter(
        ([, table]) => !table.Condition || conditionHolds(app, table.Condition, region),
      );

      expect(created.map(([id]) => id).sort(), region).toEqual(
        isPrimary ? ['ControlTable', 'InboxTable', 'LedgerTable', 'QuarantineTable'] : [],
      );
      for (const [, table] of created) {
        expect((table.Properties?.Replicas as Array<{ Region: string }>).map((r) => r.Region).sort()).toEqual(
          [...packaged.config.regions].sort(),
        );
      }
    }
  });

  it.each(TABLE_DEFINITIONS.map((d) => [d.logical, d] as const))(
    '%s matches shared/table-definitions.ts: keys, indexes, TTL, stream',
    (logical, definition) => {
      const primary = packaged.regions.find((r) => r.isPrimary);
      const table = props(primary?.app ?? { Resources: {} }, `${logical[0]?.toUpperCase()}${logical.slice(1)}Table`);
      const keys = (pk: string, sk?: string) => [
        { AttributeName: pk, KeyType: 'HASH' },
        ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' }] : []),
      ];

      expect(table.TableName).toBe(`switchyard-prod-${logical}`);
      expect(table.KeySchema).toEqual(keys(definition.partitionKey, definition.sortKey));
      expect(
        ((table.GlobalSecondaryIndexes ?? []) as Array<{ IndexName: string; KeySchema: unknown }>).map((i) => [
          i.IndexName,
          i.KeySchema,
        ]),
      ).toEqual(definition.indexes.map((i) => [i.name, keys(i.partitionKey, i.sortKey)]));
      expect(table.TimeToLiveSpecification).toEqual({ AttributeName: definition.ttlAttribute, Enabled: true });
      expect(table.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
      expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    },
  );

  it("encrypt every replica with that region's data key and keep point-in-time recovery and deletion protection on", () => {
    const primary = packaged.regions.find((r) => r.isPrimary);
    for (const [id, table] of tables(primary?.app ?? { Resources: {} })) {
      expect(table.Properties?.SSESpecification, id).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      expect(table.DeletionPolicy, id).toBe('Retain');
      for (const replica of table.Properties?.Replicas as Array<Record<string, unknown>>) {
        expect(replica.SSESpecification, `${id} ${String(replica.Region)}`).toEqual({
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
