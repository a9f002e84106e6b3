/**
 * The four global tables, in one place: the local cloud creates them from here, the adapters
 * name their keys and indexes from here, and the packaging test checks serverless.yml against it.
 */
export interface TableDefinition {
  /** Logical name; the physical name is `switchyard-<stage>-<logical>`. */
  logical: 'inbox' | 'ledger' | 'control' | 'quarantine';
  partitionKey: string;
  sortKey?: string;
  indexes: ReadonlyArray<{ name: string; partitionKey: string; sortKey: string }>;
  ttlAttribute: string;
}

export const INBOX_HOME_INDEX = 'home-receivedAt';
export const LEDGER_OPEN_INDEX = 'open-due';

export const TABLE_DEFINITIONS: readonly TableDefinition[] = Object.freeze([
  {
    logical: 'inbox',
    partitionKey: 'id',
    indexes: [{ name: INBOX_HOME_INDEX, partitionKey: 'home', sortKey: 'receivedAt' }],
    ttlAttribute: 'expiresAt',
  },
  {
    logical: 'ledger',
    partitionKey: 'id',
    sortKey: 'to',
    indexes: [{ name: LEDGER_OPEN_INDEX, partitionKey: 'open', sortKey: 'due' }],
    ttlAttribute: 'expiresAt',
  },
  { logical: 'control', partitionKey: 'pk', sortKey: 'sk', indexes: [], ttlAttribute: 'expiresAt' },
  { logical: 'quarantine', partitionKey: 'id', indexes: [], ttlAttribute: 'expiresAt' },
]);

/** The physical table name for a stage, e.g. `switchyard-prod-inbox`. */
export const physicalTableName = (stage: string, logical: TableDefinition['logical']): string =>
  `switchyard-${stage}-${logical}`;
