/**
 * Values serverless.yml cannot compute in YAML: lists that depend on the stage's regions
 * (replicas, target bus ARNs, principals), the per-region inbox stream ARN, the deployment
 * settings of stages/lib/deployment-settings.ts, and the repeated alarms. Loaded through
 * stages/derive.cjs; everything stays offline (pseudo parameters, no AWS calls).
 */
import {
  FUNCTIONS,
  HEALTH_ASYNC_RETRIES,
  INGEST_ASYNC_RETRIES,
  INGEST_RULE,
  QUEUES,
  ROUTE_STREAM_MAPPING,
  functionEnvironment,
  routeFilterPatterns,
  stageNames,
  type QueueId,
} from './deployment-settings';
import { buildAlarms, buildDashboardBody } from './observability';
import { validateStage, type StageConfig } from './stage-file';

type Sub = { 'Fn::Sub': string };
const sub = (template: string): Sub => ({ 'Fn::Sub': template });
/** An account root, `arn:<partition>:iam::<account>:root`; partition and account may be pseudo parameters. */
const ROOT = /^(arn:(?:aws[\w-]*|\$\{AWS::Partition\}):iam::(\d{12}|\$\{AWS::AccountId\})):root$/;

/**
 * The inbox stream route reads. The primary stack owns the table, so GetAtt works there; other
 * regions' stacks cannot reference it (no cross-region GetAtt/ImportValue), so scripts/deploy.sh
 * looks up the replica's LatestStreamArn and passes it as --param=inboxStreamArn=...
 * (docs/decisions/002-replica-stream-arn.md).
 */
const resolveInboxStream = (stage: string, region: string, isPrimary: boolean, param: unknown): unknown => {
  if (isPrimary) return { 'Fn::GetAtt': ['InboxTable', 'StreamArn'] };
  const expected = new RegExp(
    `^arn:aws[\\w-]*:dynamodb:${region}:\\d{12}:table/switchyard-${stage}-inbox/stream/[\\w.:-]+$`,
  );
  if (typeof param !== 'string' || !expected.test(param)) {
    throw new Error(
      `${region} is not the primary region of stage ${stage}, so route needs the inbox replica's stream ARN: ` +
        `pass --param="inboxStreamArn=<LatestStreamArn of switchyard-${stage}-inbox in ${region}>" ` +
        `(scripts/deploy.sh does this after deploying the primary; scripts/package-all.ts passes an offline placeholder). Got: ${String(param ?? '(none)')}`,
    );
  }
  return param;
};

const replicasFor = (stage: string, config: StageConfig) =>
  config.regions.map((region) => ({
    Region: region,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    // The alias exists before the table: serverless.keys.yml is deployed to every region first.
    SSESpecification: {
      KMSMasterKeyId: sub(`arn:\${AWS::Partition}:kms:${region}:\${AWS::AccountId}:alias/switchyard-${stage}-data`),
    },
    DeletionProtectionEnabled: config.deletionProtection,
    Tags: [
      { Key: 'service', Value: 'switchyard' },
      { Key: 'stage', Value: stage },
    ],
  }));

/** lambda:InvokeFunction for each admin invoker; an account root becomes the account id, which Lambda expects. */
const adminPermissions = (config: StageConfig) =>
  Object.fromEntries(
    config.adminInvokers.map((principal, index) => {
      const root = ROOT.exec(principal);
      const properties = {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['AdminLambdaFunction', 'Arn'] },
        Principal: root ? sub(root[2] ?? '') : sub(principal),
      };
      return [`AdminInvokePermission${index}`, { Type: 'AWS::Lambda::Permission', Properties: properties }];
    }),
  );

const alarmSubscriptions = (config: StageConfig) =>
  Object.fromEntries(
    (config.alarms.subscriptions ?? []).map((email, index) => [
      `AlarmSubscription${index}`,
      {
        Type: 'AWS::SNS::Subscription',
        Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: email },
      },
    ]),
  );

/** Everything serverless.yml reads as `${self:custom.derived.<key>}` for one stage and region. */
export const deriveStage = (stage: string, region: string, raw: unknown, inboxStreamParam: unknown) => {
  const config = validateStage(stage, raw);
  if (!config.regions.includes(region)) {
    throw new Error(
      `Region ${region} is not in stage ${stage} (stages/${stage}.yml regions: ${config.regions.join(', ')}). Add it there, or pass --region with one of them.`,
    );
  }
  const names = stageNames(stage);
  const isPrimary = region === config.primaryRegion;
  const ctx = {
    region,
    alarms: config.alarms,
    serviceName: names.service,
    functionName: names.function,
    queueName: names.queue,
  };
  return {
    isPrimary,
    functions: [...FUNCTIONS],
    tables: {
      inbox: names.table('inbox'),
      ledger: names.table('ledger'),
      control: names.table('control'),
      quarantine: names.table('quarantine'),
    },
    ingressBus: names.ingressBus,
    environment: functionEnvironment(stage, config),
    queueNames: Object.fromEntries((Object.keys(QUEUES) as QueueId[]).map((id) => [id, names.queue(id)])),
    ingestRule: { name: names.ingestRule, ...INGEST_RULE, asyncRetries: INGEST_ASYNC_RETRIES },
    routeMapping: { ...ROUTE_STREAM_MAPPING, filterPatterns: routeFilterPatterns(region) },
    health: { name: names.healthSchedule, schedule: config.health.schedule, asyncRetries: HEALTH_ASYNC_RETRIES },
    inboxStreamArn: resolveInboxStream(stage, region, isPrimary, inboxStreamParam),
    replicas: replicasFor(stage, config),
    targetBusArns: config.regions.flatMap((r) =>
      config.targetBuses.map((bus) => sub(`arn:\${AWS::Partition}:events:${r}:\${AWS::AccountId}:event-bus/${bus}`)),
    ),
    publisherPrincipals: config.publishers.map(sub),
    // Root → every principal of that account, for the Deny's ArnNotLike.
    publisherArnPatterns: config.publishers.map((arn) => sub(arn.replace(ROOT, '$1:*'))),
    resources: {
      Resources: {
        ...adminPermissions(config),
        ...alarmSubscriptions(config),
        ...buildAlarms(ctx),
        Dashboard: {
          Type: 'AWS::CloudWatch::Dashboard',
          Properties: { DashboardName: `switchyard-${stage}-${region}`, DashboardBody: buildDashboardBody(ctx) },
        },
      },
    },
  };
};
