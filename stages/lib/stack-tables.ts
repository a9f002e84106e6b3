/**
 * The DynamoDB tables one region's stack declares (docs/decisions/015-zone-table-owners.md):
 * every global table whose owning region is this one, with one replica per region of its zone
 * (or per stage region for control), and this region's own quarantine and coord tables.
 * Keys, indexes, TTL and streams come from shared/table-definitions.ts through tableLayout.
 */
import type { TableDefinition } from '../../shared/table-definitions';
import type { StageConfig } from './stage-file';
import { owningRegion, tableLayout, type TableInstance } from './table-layout';

type Sub = { 'Fn::Sub': string };
const sub = (template: string): Sub => ({ 'Fn::Sub': template });

const pascal = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => `${part[0]?.toUpperCase() ?? ''}${part.slice(1)}`)
    .join('');

/** A table's logical id: `ControlTable`, `CoordTable`, or `Inbox<Zone>Table` / `Ledger<Zone>Table` for zone tables. */
export const tableLogicalId = (table: Pick<TableInstance, 'logical' | 'zone'>): string =>
  `${pascal(table.logical)}${table.zone ? pascal(table.zone) : ''}Table`;

/** Zone names that would share a logical id (`eu-1` and `eu1`) cannot both be deployed. */
export const checkZoneIds = (config: StageConfig): void => {
  const seen = new Map<string, string>();
  for (const zone of Object.keys(config.residencyZones)) {
    const other = seen.get(pascal(zone));
    if (other)
      throw new Error(`Zones ${other} and ${zone} map to the same CloudFormation id; rename one in residencyZones.`);
    seen.set(pascal(zone), zone);
  }
};

const tags = (stage: string) => [
  { Key: 'service', Value: 'switchyard' },
  { Key: 'stage', Value: stage },
];

/** Keys and indexes as CloudFormation writes them; every key attribute is a string (as the local cloud creates them). */
const schemaOf = (definition: TableDefinition) => {
  const keys = (pk: string, sk?: string) => [
    { AttributeName: pk, KeyType: 'HASH' },
    ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' }] : []),
  ];
  const attributes = new Set([definition.partitionKey, ...(definition.sortKey ? [definition.sortKey] : [])]);
  for (const index of definition.indexes) attributes.add(index.partitionKey).add(index.sortKey);
  return {
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: keys(definition.partitionKey, definition.sortKey),
    ...(definition.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: definition.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keys(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' },
          })),
        }
      : {}),
    ...(definition.ttlAttribute
      ? { TimeToLiveSpecification: { AttributeName: definition.ttlAttribute, Enabled: true } }
      : {}),
  };
};

/** One replica per region: its own region's data key (by alias: the keys stacks exist first, decision 001). */
const replicaIn = (stage: string, config: StageConfig, region: string) => ({
  Region: region,
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  SSESpecification: {
    KMSMasterKeyId: sub(`arn:\${AWS::Partition}:kms:${region}:\${AWS::AccountId}:alias/switchyard-${stage}-data`),
  },
  DeletionProtectionEnabled: config.deletionProtection,
  Tags: tags(stage),
});

// Removing a stack must never drop data; scripts/teardown.sh --delete-data deletes tables explicitly.
const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' } as const;

const globalTable = (stage: string, config: StageConfig, table: TableInstance) => ({
  Type: 'AWS::DynamoDB::GlobalTable',
  ...RETAIN,
  Properties: {
    TableName: table.name,
    ...schemaOf(table.definition),
    // Global tables replicate through streams; route also reads the inbox's.
    StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    Replicas: table.regions.map((region) => replicaIn(stage, config, region)),
  },
});

const regionalTable = (stage: string, config: StageConfig, table: TableInstance, dataKeyArn: unknown) => ({
  Type: 'AWS::DynamoDB::Table',
  ...RETAIN,
  Properties: {
    TableName: table.name,
    ...schemaOf(table.definition),
    ...(table.definition.stream ? { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: dataKeyArn },
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    DeletionProtectionEnabled: config.deletionProtection,
    Tags: tags(stage),
  },
});

/** Every table that exists in `region`, and whether this region's stack declares it. */
export const tablesOfRegion = (stage: string, config: StageConfig, region: string) =>
  tableLayout(stage, config)
    .filter((table) => table.regions.includes(region))
    .map((table) => ({ ...table, owned: !table.global || owningRegion(table, config) === region }));

/** The table resources of `region`'s stack, keyed by logical id. */
export const tableResources = (stage: string, config: StageConfig, region: string, dataKeyArn: unknown) => {
  checkZoneIds(config);
  return Object.fromEntries(
    tablesOfRegion(stage, config, region)
      .filter((table) => table.owned)
      .map((table) => [
        tableLogicalId(table),
        table.global ? globalTable(stage, config, table) : regionalTable(stage, config, table, dataKeyArn),
      ]),
  );
};
