/**
 * What each function's role grants in one region (docs/decisions/003): exact actions on exact
 * ARNs, zone tables only of the zones with a replica here, other regions' tables only where the
 * code reaches them (the quorum store and peers' coord tables, admin's erase of every quarantine),
 * target buses only in regions of this region's zones, and writes to the shared control and coord
 * tables limited to the partitions the function owns (dynamodb:LeadingKeys). The packaging test
 * derives the same set from the code and fails on any difference.
 */
import { CONTROL_KEYS } from '../../shared/adapters/control-table';
import { COORD_KEYS } from '../../shared/adapters/coord-keys';
import { COORD_VIEWS } from '../../shared/adapters/coord-table';
import { REPLICATION_PROBE_ID } from '../../shared/adapters/ledger/ledger-queries';
import { QUEUES, type FunctionName, type QueueId } from './deployment-settings';
import { arns, zoneNeighbours, type GrantContext, type GrantSpec } from './grant-specs';

const sendToQueue = (queue: string, ctx: GrantContext): GrantSpec[] => [
  { sid: `Send${queue}`, actions: ['sqs:SendMessage'], resources: [{ 'Fn::GetAtt': [queue, 'Arn'] }] },
  {
    sid: `Encrypt${queue}`,
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: [ctx.dataKeyArn],
    viaSqs: true,
  },
];

const readFailureQueues = (ctx: GrantContext): GrantSpec[] => [
  {
    sid: 'RedriveFailureQueues',
    actions: [
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
    ],
    resources: (Object.keys(QUEUES) as QueueId[]).map((queue) => ({ 'Fn::GetAtt': [queue, 'Arn'] })),
  },
  { sid: 'DecryptFailureQueues', actions: ['kms:Decrypt'], resources: [ctx.dataKeyArn], viaSqs: true },
];

// Delivery (route and sweeper): conditional claims and settles on the ledger, sends to buses of this region's zones.
const delivery = (ctx: GrantContext, a: ReturnType<typeof arns>): GrantSpec[] => [
  { sid: 'ClaimAndSettleDeliveries', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: a.ledger },
  { sid: 'ReadRoutesCatalog', actions: ['dynamodb:GetItem'], resources: a.own('control') },
  { sid: 'ReadOwnership', actions: ['dynamodb:Query'], resources: a.own('coord') },
  {
    sid: 'DeliverInsideZones',
    actions: ['events:PutEvents'],
    resources: a.targetBuses(zoneNeighbours(ctx.config, ctx.region)),
  },
];

const quorumRead = (a: ReturnType<typeof arns>): GrantSpec => ({
  sid: 'ReadQuorum',
  actions: ['dynamodb:GetItem'],
  resources: a.everyRegion('coord'),
});

/** The grants of each function in the region. */
export const roleGrants = (ctx: GrantContext): Record<FunctionName, GrantSpec[]> => {
  const a = arns(ctx);
  const logs = (fn: FunctionName): GrantSpec => ({
    sid: 'WriteOwnLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: a.logs(fn),
  });
  const peers = zoneNeighbours(ctx.config, ctx.region).filter((r) => r !== ctx.region);
  return {
    ingest: [
      logs('ingest'),
      { sid: 'StoreAndOpenEvents', actions: ['dynamodb:PutItem'], resources: [...a.inbox, ...a.ledger] },
      { sid: 'StoreRejectedEvents', actions: ['dynamodb:PutItem'], resources: a.own('quarantine') },
      { sid: 'ReadRoutesCatalog', actions: ['dynamodb:GetItem'], resources: a.own('control') },
      quorumRead(a),
      {
        sid: 'RepairRoutesPointer',
        actions: ['dynamodb:PutItem'],
        resources: a.everyRegion('coord'),
        leadingKeys: [COORD_KEYS.registerPartition],
      },
      ...sendToQueue('IngestFailedQueue', ctx),
    ],
    route: [
      logs('route'),
      {
        sid: 'ReadInboxStreams',
        actions: [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ],
        resources: ctx.inboxStreams,
      },
      ...delivery(ctx, a),
      { sid: 'ReadEventRows', actions: ['dynamodb:Query'], resources: a.ledger },
      ...sendToQueue('RouteFailedQueue', ctx),
    ],
    sweeper: [
      logs('sweeper'),
      ...delivery(ctx, a),
      { sid: 'QueryDueEvents', actions: ['dynamodb:Query'], resources: [...a.ledger, ...a.ledgerIndex('sweep')] },
      { sid: 'ReadStoredEvents', actions: ['dynamodb:GetItem'], resources: a.inbox },
      // Replay and reconcile jobs: the runner reads its selection and cursors and writes its reports in the ledger.
      {
        sid: 'RunJobParts',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchWriteItem'],
        resources: a.ledger,
      },
      { sid: 'SelectJobEvents', actions: ['dynamodb:Query'], resources: a.ledgerIndex('received') },
      { sid: 'ReadJobs', actions: ['dynamodb:Query'], resources: a.own('control') },
      {
        sid: 'RecordJobPartsAndEpochs',
        actions: ['dynamodb:PutItem'],
        resources: a.own('control'),
        leadingKeys: [CONTROL_KEYS.jobs.parts('*'), CONTROL_KEYS.jobs.epochs('*', '*')],
      },
      {
        sid: 'SetJobState',
        actions: ['dynamodb:UpdateItem'],
        resources: a.own('control'),
        leadingKeys: [CONTROL_KEYS.jobs.summary],
      },
      {
        sid: 'RetireJobs',
        actions: ['dynamodb:DeleteItem'],
        resources: a.own('control'),
        leadingKeys: [CONTROL_KEYS.jobs.active],
      },
    ],
    health: healthGrants(ctx, a, peers, logs('health')),
    admin: [
      logs('admin'),
      { sid: 'ReadControl', actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: a.own('control') },
      {
        sid: 'PublishCatalogAndAudit',
        actions: ['dynamodb:PutItem'],
        resources: a.own('control'),
        leadingKeys: [
          CONTROL_KEYS.routes,
          CONTROL_KEYS.audit('*'),
          CONTROL_KEYS.jobs.summary,
          CONTROL_KEYS.jobs.active,
        ],
      },
      {
        sid: 'SetJobState',
        actions: ['dynamodb:UpdateItem'],
        resources: a.own('control'),
        leadingKeys: [CONTROL_KEYS.jobs.summary],
      },
      { sid: 'ReadQuorumAndPeers', actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: a.everyRegion('coord') },
      {
        sid: 'WriteRegisters',
        actions: ['dynamodb:PutItem'],
        resources: a.everyRegion('coord'),
        leadingKeys: [COORD_KEYS.registerPartition],
      },
      { sid: 'EraseStoredEvents', actions: ['dynamodb:Scan', 'dynamodb:DeleteItem'], resources: a.inbox },
      // Redrive: read the failure queues, ingest each event again (dedupe included), reopen parked deliveries.
      ...readFailureQueues(ctx),
      { sid: 'RedriveIntoInbox', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [...a.inbox] },
      { sid: 'RedriveIntoLedger', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: a.ledger },
      { sid: 'QuarantineRedriven', actions: ['dynamodb:PutItem'], resources: a.own('quarantine') },
      {
        sid: 'SelectJobEvents',
        actions: ['dynamodb:Query'],
        resources: [...a.ledgerIndex('received'), ...a.ledgerIndex('parked')],
      },
      { sid: 'EraseLedgerRows', actions: ['dynamodb:Query', 'dynamodb:BatchWriteItem'], resources: a.ledger },
      {
        sid: 'EraseQuarantineEverywhere',
        actions: ['dynamodb:Scan', 'dynamodb:DeleteItem'],
        resources: a.everyRegion('quarantine'),
      },
    ],
  };
};

const healthGrants = (ctx: GrantContext, a: ReturnType<typeof arns>, peers: string[], logs: GrantSpec): GrantSpec[] => [
  logs,
  { sid: 'ReadRoutesCatalog', actions: ['dynamodb:GetItem'], resources: a.own('control') },
  // Taking over a peer's home records its outage: reconcile's default window.
  {
    sid: 'RecordPeerOutages',
    actions: ['dynamodb:PutItem'],
    resources: a.own('control'),
    leadingKeys: peers.map(CONTROL_KEYS.outage),
  },
  { sid: 'ReadQuorumAndPeers', actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: a.everyRegion('coord') },
  {
    sid: 'HoldLeasesAndRepairRegisters',
    actions: ['dynamodb:PutItem'],
    resources: a.everyRegion('coord'),
    leadingKeys: [COORD_KEYS.leasePartition, COORD_KEYS.registerPartition],
  },
  {
    sid: 'PublishOwnState',
    actions: ['dynamodb:PutItem'],
    resources: a.own('coord'),
    leadingKeys: [COORD_VIEWS.heartbeat, COORD_VIEWS.judgement, COORD_VIEWS.owns, COORD_VIEWS.probe],
  },
  {
    sid: 'DropOwnership',
    actions: ['dynamodb:DeleteItem'],
    resources: a.own('coord'),
    leadingKeys: [COORD_VIEWS.owns],
  },
  {
    sid: 'ProbeReplication',
    actions: ['dynamodb:PutItem'],
    resources: a.ledger,
    leadingKeys: [REPLICATION_PROBE_ID],
  },
  { sid: 'ReadReplicationProbes', actions: ['dynamodb:Query'], resources: a.ledger },
  {
    sid: 'ProbeBuses',
    actions: ['events:DescribeEventBus'],
    resources: [{ 'Fn::GetAtt': ['IngressBus', 'Arn'] }, ...a.targetBuses([ctx.region])],
  },
];
