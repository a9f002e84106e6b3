/**
 * Values serverless.yml cannot compute in YAML, for one stage and region: the tables this region's
 * stack declares, route's stream events (one per zone inbox here), the roles' statements, the
 * ingress bus policy, the deployment settings of stages/lib/deployment-settings.ts, the alarms and
 * the outputs. Loaded through stages/derive.cjs; everything stays offline (pseudo parameters, no
 * AWS calls).
 */
import {
  FUNCTIONS,
  INGEST_ASYNC_RETRIES,
  INGEST_RULE,
  QUEUES,
  ROUTE_STREAM_MAPPING,
  SCHEDULED_ASYNC_RETRIES,
  functionEnvironment,
  functionTimeouts,
  routeFilterPatterns,
  stageNames,
  type FunctionName,
  type QueueId,
} from './deployment-settings';
import { ACCOUNT_ROOT, ingressBusPolicy } from './bus-policy';
import { offlineInboxStreams, resolveInboxStreams, type InboxStream } from './inbox-streams';
import { buildAlarms, buildDashboardBody } from './observability';
import { renderStatements } from './grant-specs';
import { roleGrants } from './role-grants';
import { stackOutputs } from './stack-outputs';
import { tableResources } from './stack-tables';
import { validateStage, type StageConfig } from './stage-file';

const sub = (template: string) => ({ 'Fn::Sub': template });
/** `Fn::Sub` only where the text holds a pseudo parameter (local principals are literal ARNs). */
const subIfNeeded = (text: string) => (text.includes('${') ? sub(text) : text);
const DATA_KEY_ARN = (stage: string) => ({ 'Fn::ImportValue': `switchyard-${stage}-keys-DataKeyArn` });

/** lambda:InvokeFunction for each admin invoker; an account root becomes the account id, which Lambda expects. */
const adminPermissions = (config: StageConfig) =>
  Object.fromEntries(
    config.adminInvokers.map((principal, index) => {
      const root = ACCOUNT_ROOT.exec(principal);
      const properties = {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['AdminLambdaFunction', 'Arn'] },
        Principal: subIfNeeded(root ? (root[2] ?? '') : principal),
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

/** route's `stream` events: one per zone inbox with a replica in the region, all with the same settings. */
const routeEvents = (streams: InboxStream[], region: string) =>
  streams.map((stream) => ({
    stream: {
      type: 'dynamodb',
      arn: stream.arn,
      startingPosition: ROUTE_STREAM_MAPPING.startingPosition,
      batchSize: ROUTE_STREAM_MAPPING.batchSize,
      batchWindow: ROUTE_STREAM_MAPPING.maximumBatchingWindowInSeconds,
      maximumRetryAttempts: ROUTE_STREAM_MAPPING.maximumRetryAttempts,
      bisectBatchOnFunctionError: ROUTE_STREAM_MAPPING.bisectBatchOnFunctionError,
      functionResponseType: ROUTE_STREAM_MAPPING.functionResponseType,
      destinations: { onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': ['RouteFailedQueue', 'Arn'] } } },
      filterPatterns: routeFilterPatterns(region),
    },
  }));

const checkRegion = (stage: string, config: StageConfig, region: string): void => {
  if (!config.regions.includes(region))
    throw new Error(
      `Region ${region} is not in stage ${stage} (stages/${stage}.yml regions: ${config.regions.join(', ')}). Add it there, or pass --region with one of them.`,
    );
};

/** Everything serverless.yml reads as `${self:custom.derived.<key>}` for one stage and region. */
export const deriveStage = (
  stage: string,
  region: string,
  raw: unknown,
  inboxStreamsParam: unknown,
  { offlineStreams = false }: { offlineStreams?: boolean } = {},
) => {
  const config = validateStage(stage, raw);
  checkRegion(stage, config, region);
  const names = stageNames(stage);
  const dataKeyArn = DATA_KEY_ARN(stage);
  // `serverless invoke local` reads no stream: placeholders stand in for ARNs only a deploy can look up.
  const param = inboxStreamsParam ?? (offlineStreams ? offlineInboxStreams(stage, config, region) : null);
  const streams = resolveInboxStreams(stage, config, region, param);
  const grants = roleGrants({ stage, region, config, inboxStreams: streams.map((s) => s.arn), dataKeyArn });
  const busArn = sub(`arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${names.ingressBus}`);
  const ctx = {
    region,
    alarms: config.alarms,
    serviceName: names.service,
    functionName: names.function,
    queueName: names.queue,
  };
  const schedule = (fn: 'health' | 'sweeper') => ({
    name: names.schedule(fn),
    rate: config[fn].schedule,
    asyncRetries: SCHEDULED_ASYNC_RETRIES,
  });
  return {
    isPrimary: region === config.primaryRegion,
    ingressBus: names.ingressBus,
    environment: functionEnvironment(stage, config),
    timeouts: functionTimeouts(config),
    queueNames: Object.fromEntries((Object.keys(QUEUES) as QueueId[]).map((id) => [id, names.queue(id)])),
    ingestRule: { name: names.ingestRule, ...INGEST_RULE, asyncRetries: INGEST_ASYNC_RETRIES },
    routeEvents: routeEvents(streams, region),
    schedules: { health: schedule('health'), sweeper: schedule('sweeper') },
    statements: Object.fromEntries(FUNCTIONS.map((fn) => [fn, renderStatements(grants[fn], region)])) as Record<
      FunctionName,
      unknown[]
    >,
    busPolicy: ingressBusPolicy(config, busArn, subIfNeeded),
    resources: {
      Resources: {
        ...tableResources(stage, config, region, dataKeyArn),
        ...adminPermissions(config),
        ...alarmSubscriptions(config),
        ...buildAlarms(ctx),
        Dashboard: {
          Type: 'AWS::CloudWatch::Dashboard',
          Properties: { DashboardName: `switchyard-${stage}-${region}`, DashboardBody: buildDashboardBody(ctx) },
        },
      },
      Outputs: stackOutputs(stage, config, region),
    },
  };
};
