'use strict';
/* global module, require -- serverless loads variable files with require(); CommonJS is the format it accepts. */
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Values serverless.yml cannot compute in YAML: lists that depend on the stage's regions
 * (replicas, target bus ARNs, principals), the per-region inbox stream ARN, and the repeated
 * alarms. Used as `${file(./stages/derive.cjs):<key>}`; everything stays offline (pseudo
 * parameters, no AWS calls).
 */
const { validateStage } = require('./lib/validate-stage.cjs');
const { buildAlarms, buildDashboardBody } = require('./lib/observability.cjs');

const sub = (template) => ({ 'Fn::Sub': template });
// An account root, `arn:<partition>:iam::<account>:root`; partition and account may be pseudo parameters.
const ROOT = /^(arn:(?:aws[\w-]*|\$\{AWS::Partition\}):iam::(\d{12}|\$\{AWS::AccountId\})):root$/;

/** Queue logical id → physical name, shared by serverless.yml and the dashboard. */
const QUEUE_NAMES = { IngestDlq: 'ingest-dlq', IngestFailedQueue: 'ingest-failed', RouteFailedQueue: 'route-failed' };

/**
 * The inbox stream route reads. The primary stack owns the table, so GetAtt works there; other
 * regions' stacks cannot reference it (no cross-region GetAtt/ImportValue), so scripts/deploy.sh
 * looks up the replica's LatestStreamArn and passes it as --param=inboxStreamArn=...
 * (docs/decisions/002-replica-stream-arn.md).
 */
const resolveInboxStream = (stage, region, isPrimary, param) => {
  if (isPrimary) return { 'Fn::GetAtt': ['InboxTable', 'StreamArn'] };
  const expected = new RegExp(
    `^arn:aws[\\w-]*:dynamodb:${region}:\\d{12}:table/switchyard-${stage}-inbox/stream/[\\w.:-]+$`,
  );
  if (typeof param !== 'string' || !expected.test(param)) {
    throw new Error(
      `${region} is not the primary region of stage ${stage}, so route needs the inbox replica's stream ARN: ` +
        `pass --param="inboxStreamArn=<LatestStreamArn of switchyard-${stage}-inbox in ${region}>" ` +
        `(scripts/deploy.sh does this after deploying the primary; scripts/package-all.ts passes an offline placeholder). Got: ${param ?? '(none)'}`,
    );
  }
  return param;
};

const replicasFor = (stage, config) =>
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
const adminPermissions = (config) =>
  Object.fromEntries(
    config.adminInvokers.map((principal, index) => {
      const root = ROOT.exec(principal);
      return [
        `AdminInvokePermission${index}`,
        {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            Action: 'lambda:InvokeFunction',
            FunctionName: { 'Fn::GetAtt': ['AdminLambdaFunction', 'Arn'] },
            Principal: root ? sub(root[2]) : sub(principal),
          },
        },
      ];
    }),
  );

const alarmSubscriptions = (config) =>
  Object.fromEntries(
    (config.alarms.subscriptions ?? []).map((email, index) => [
      `AlarmSubscription${index}`,
      {
        Type: 'AWS::SNS::Subscription',
        Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: email },
      },
    ]),
  );

const derive = (stage, region, config, inboxStreamParam) => {
  validateStage(stage, config);
  if (!config.regions.includes(region)) {
    throw new Error(
      `Region ${region} is not in stage ${stage} (stages/${stage}.yml regions: ${config.regions.join(', ')}). Add it there, or pass --region with one of them.`,
    );
  }
  const isPrimary = region === config.primaryRegion;
  const ctx = {
    region,
    alarms: config.alarms,
    serviceName: `switchyard-${stage}`,
    functionName: (fn) => `switchyard-${stage}-${fn}`,
    queueName: (logicalId) => `switchyard-${stage}-${QUEUE_NAMES[logicalId]}`,
  };
  return {
    isPrimary,
    stageRegions: config.regions.join(','),
    queueNames: Object.fromEntries(Object.keys(QUEUE_NAMES).map((id) => [id, ctx.queueName(id)])),
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

const cache = new Map();

/** serverless `file()` entry point: resolves stage, region and params, then memoizes per stage/region. */
module.exports = async ({ resolveVariable }) => {
  const stage = await resolveVariable('sls:stage');
  const region = await resolveVariable('self:provider.region');
  const key = `${stage}/${region}`;
  if (!cache.has(key)) {
    const config = await resolveVariable('self:custom.stage');
    const inboxStreamParam = await resolveVariable('param:inboxStreamArn, null');
    cache.set(key, derive(stage, region, config, inboxStreamParam));
  }
  return cache.get(key);
};

module.exports.derive = derive;
