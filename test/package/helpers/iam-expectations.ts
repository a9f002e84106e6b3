import { CONTROL_KEYS } from '../../../shared/adapters/control-table';
import { COORD_KEYS } from '../../../shared/adapters/coord-keys';
import { COORD_VIEWS } from '../../../shared/adapters/coord-table';
import { REPLICATION_PROBE_ID } from '../../../shared/adapters/ledger/ledger-queries';
import { LEDGER_INDEX, stageTableName, zoneTableName } from '../../../shared/table-definitions';
import { QUEUES } from '../../../stages/lib/deployment-settings';
import { ACCOUNT } from './cfn-values';
import type { SdkCall } from './sdk-calls';

/** What a stage and region look like to the policy: names the roles must point at. */
export interface PolicyContext {
  stage: string;
  region: string;
  /** Every stage region (the quorum store spans them all). */
  regions: readonly string[];
  /** The zones with a replica in this region. */
  zones: readonly string[];
  /** Regions sharing a zone with this one: the homes its health function may take over. */
  peers: readonly string[];
  /** Regions of the zones that include this one: where its routers may deliver (residency in IAM). */
  busRegions: readonly string[];
  targetBuses: readonly string[];
  /** The inbox streams route maps in this region, as the template names them. */
  inboxStreams: readonly string[];
}

/** lib-dynamodb document commands → the DynamoDB API (and IAM action) they call. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

/** TransactWriteItems has no IAM action: each item is authorized as its own operation. */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

export type TableKind = 'inbox' | 'ledger' | 'control' | 'coord' | 'quarantine';

/** Which table an adapter file talks to; the quorum files reach every region's coord table. */
const ADAPTERS: Array<[RegExp, TableKind, 'local' | 'every-region']> = [
  [/^shared\/adapters\/inbox-table\.ts$/, 'inbox', 'local'],
  [/^shared\/adapters\/(ledger-table|ledger\/[\w-]+)\.ts$/, 'ledger', 'local'],
  [/^shared\/adapters\/control-(table|jobs)\.ts$/, 'control', 'local'],
  [/^shared\/adapters\/coord-table\.ts$/, 'coord', 'local'],
  [/^shared\/adapters\/quorum-[\w-]+\.ts$/, 'coord', 'every-region'],
  [/^shared\/adapters\/quarantine-table\.ts$/, 'quarantine', 'local'],
];

/** The table an SDK call's file addresses, or undefined for a file that is no table adapter. */
export const tableOfFile = (file: string): { kind: TableKind; scope: 'local' | 'every-region' } | undefined => {
  const found = ADAPTERS.find(([pattern]) => pattern.test(file));
  return found ? { kind: found[1], scope: found[2] } : undefined;
};

const arn = (region: string, name: string): string => `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`;

const tableArns = (ctx: PolicyContext, kind: TableKind, regions: readonly string[]): string[] =>
  kind === 'inbox' || kind === 'ledger'
    ? ctx.zones.map((zone) => arn(ctx.region, zoneTableName(ctx.stage, zone, kind)))
    : regions.map((region) => arn(region, stageTableName(ctx.stage, kind)));

export const actionsOf = (call: SdkCall): string[] => {
  const api = call.sdkPackage === 'lib-dynamodb' ? DOCUMENT_COMMANDS[call.command] : call.command;
  if (!api)
    throw new Error(
      `Unknown lib-dynamodb command ${call.command}Command in ${call.file}; add it to DOCUMENT_COMMANDS.`,
    );
  if (api === 'TransactWriteItems')
    return (call.transactItems ?? []).map((kind) => `dynamodb:${TRANSACT_ITEM_ACTIONS[kind]}`);
  if (api === 'TransactGetItems') return ['dynamodb:GetItem'];
  return [`dynamodb:${api}`];
};

/** How one call is reached: through a client of another region (a remote factory) or not; which ledger indexes the code names. */
export interface CallReach {
  remote: boolean;
  constants: ReadonlySet<string>;
}

const ledgerIndexes = (constants: ReadonlySet<string>): string[] =>
  Object.keys(LEDGER_INDEX).filter((name) => constants.has(`LEDGER_INDEX.${name}`));

/** The `action resource` grants one SDK call needs, on the ARNs the code actually addresses. */
export const grantsForCall = (call: SdkCall, ctx: PolicyContext, how: CallReach): string[] => {
  if (call.sdkPackage === 'client-dynamodb' || call.sdkPackage === 'lib-dynamodb') {
    const table = tableOfFile(call.file);
    if (!table)
      throw new Error(
        `${call.file} sends ${call.command}Command, but only the table adapters in shared/adapters may talk to DynamoDB: the packaging test maps each adapter to its table ARNs.`,
      );
    const regions = table.scope === 'every-region' || how.remote ? ctx.regions : [ctx.region];
    const tables = tableArns(ctx, table.kind, regions);
    const indexes = call.command === 'Query' && table.kind === 'ledger' ? ledgerIndexes(how.constants) : [];
    const resources = [...tables, ...tables.flatMap((t) => indexes.map((index) => `${t}/index/${index}`))];
    return actionsOf(call).flatMap((action) => resources.map((resource) => `${action} ${resource}`));
  }
  if (call.sdkPackage === 'client-eventbridge' && call.command === 'PutEvents')
    return ctx.busRegions.flatMap((r) =>
      ctx.targetBuses.map((bus) => `events:PutEvents arn:aws:events:${r}:${ACCOUNT}:event-bus/${bus}`),
    );
  if (call.sdkPackage === 'client-eventbridge' && call.command === 'DescribeEventBus')
    return [
      'events:DescribeEventBus GetAtt:IngressBus.Arn',
      ...ctx.targetBuses.map(
        (bus) => `events:DescribeEventBus arn:aws:events:${ctx.region}:${ACCOUNT}:event-bus/${bus}`,
      ),
    ];
  // The failure queues (failure-queues.ts) name a queue at run time: any of the stage's three. Reading
  // an encrypted message needs the data key.
  if (call.sdkPackage === 'client-sqs')
    return [
      ...Object.keys(QUEUES).map((queue) => `sqs:${call.command} GetAtt:${queue}.Arn`),
      ...(call.command === 'ReceiveMessage' ? [`kms:Decrypt Import:switchyard-${ctx.stage}-keys-DataKeyArn`] : []),
    ];
  throw new Error(
    `${call.file} sends ${call.sdkPackage} ${call.command}Command, which the packaging test cannot map to an IAM action and resource yet; add it to grantsForCall.`,
  );
};

/**
 * The partition keys each writing adapter method writes (dynamodb:LeadingKeys). A method that
 * writes the control or coord table must be listed here, or the test fails: those tables are shared
 * by every function, so each role may write only the items it owns.
 */
export const WRITE_KEYS: Record<string, (ctx: PolicyContext) => string[]> = {
  'shared/adapters/control-table.ts:putCatalogVersion': () => [CONTROL_KEYS.routes],
  'shared/adapters/control-table.ts:audit': () => [CONTROL_KEYS.audit('*')],
  'shared/adapters/control-table.ts:recordOutage': (ctx) => ctx.peers.map(CONTROL_KEYS.outage),
  'shared/adapters/control-jobs.ts:putJob': () => [CONTROL_KEYS.jobs.summary],
  'shared/adapters/control-jobs.ts:setJobState': () => [CONTROL_KEYS.jobs.summary],
  'shared/adapters/control-jobs.ts:putPart': () => [CONTROL_KEYS.jobs.parts('*')],
  'shared/adapters/control-jobs.ts:markActive': () => [CONTROL_KEYS.jobs.active],
  'shared/adapters/control-jobs.ts:clearActive': () => [CONTROL_KEYS.jobs.active],
  'shared/adapters/control-jobs.ts:recordEpoch': () => [CONTROL_KEYS.jobs.epochs('*', '*')],
  'shared/adapters/coord-table.ts:putOwns': () => [COORD_VIEWS.owns],
  'shared/adapters/coord-table.ts:dropOwns': () => [COORD_VIEWS.owns],
  'shared/adapters/coord-table.ts:forgetLapsed': () => [COORD_VIEWS.owns],
  'shared/adapters/coord-table.ts:probe': () => [COORD_VIEWS.probe],
  'shared/adapters/coord-table.ts:putHeartbeat': () => [COORD_VIEWS.heartbeat],
  'shared/adapters/coord-table.ts:putJudgement': () => [COORD_VIEWS.judgement],
  'shared/adapters/quorum-store.ts:acquire': () => [COORD_KEYS.leasePartition],
  'shared/adapters/quorum-store.ts:renew': () => [COORD_KEYS.leasePartition],
  // A read writes the newest version back to regions that lag (read repair).
  'shared/adapters/quorum-registers.ts:readRegister': () => [COORD_KEYS.registerPartition],
  'shared/adapters/quorum-registers.ts:writeRegister': () => [COORD_KEYS.registerPartition],
  'shared/adapters/ledger/event-rows.ts:writeReplicationProbe': () => [REPLICATION_PROBE_ID],
};

/** Tables every function shares, where an unlisted writer fails the test instead of getting an unconditioned grant. */
export const KEYED_TABLES: readonly TableKind[] = ['control', 'coord'];

export const WRITE_ACTIONS = new Set([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]);

const logs = (ctx: PolicyContext, fn: string): string[] => {
  const group = `arn:aws:logs:${ctx.region}:${ACCOUNT}:log-group:/aws/lambda/switchyard-${ctx.stage}-${fn}:*`;
  return [`logs:CreateLogStream ${group}`, `logs:PutLogEvents ${group}`];
};

const encryptedQueueSend = (ctx: PolicyContext, queue: string): string[] => {
  const key = `Import:switchyard-${ctx.stage}-keys-DataKeyArn`;
  return [`sqs:SendMessage GetAtt:${queue}.Arn`, `kms:GenerateDataKey ${key}`, `kms:Decrypt ${key}`];
};

/**
 * Grants the platform needs on a function's behalf, beyond what its code sends: its own log
 * streams; for route, what the stream mappings call and its on-failure queue; for ingest, the
 * async on-failure queue. KMS only where the role itself talks to an encrypted queue.
 */
export const platformGrants = (fn: string, ctx: PolicyContext): string[] => {
  switch (fn) {
    case 'route':
      return [
        ...logs(ctx, fn),
        ...ctx.inboxStreams.flatMap((stream) =>
          ['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'].map((a) => `dynamodb:${a} ${stream}`),
        ),
        ...encryptedQueueSend(ctx, 'RouteFailedQueue'),
      ];
    case 'ingest':
      return [...logs(ctx, fn), ...encryptedQueueSend(ctx, 'IngestFailedQueue')];
    default:
      return logs(ctx, fn);
  }
};
