/**
 * CloudWatch alarms and the dashboard for one region's stack. Generated rather than written out
 * in serverless.yml because they repeat per function and per queue; the packaging test asserts
 * the result (and that code emits every custom metric named here), so a missing signal fails CI.
 */
import type { StageConfig } from './stage-file';
import { FUNCTIONS, QUEUES, type FunctionName, type QueueId } from './deployment-settings';

export const METRICS_NAMESPACE = 'Switchyard';

/** What the alarms and dashboard of one region's stack are built from. */
export interface ObservabilityContext {
  region: string;
  alarms: StageConfig['alarms'];
  serviceName: string;
  functionName: (fn: FunctionName) => string;
  queueName: (id: QueueId) => string;
}

type Dimension = { Name: string; Value: unknown };
interface AlarmSpec {
  description: string;
  namespace: string;
  metric: string;
  dimensions: Dimension[];
  statistic: string;
  threshold: number;
}

const capitalize = (name: string): string => `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;

const alarm = (ctx: ObservabilityContext, spec: AlarmSpec) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmDescription: `${spec.description} Runbook: docs/deploy.md#alarms`,
    Namespace: spec.namespace,
    MetricName: spec.metric,
    Dimensions: spec.dimensions,
    Statistic: spec.statistic,
    Period: ctx.alarms.periodSeconds,
    EvaluationPeriods: ctx.alarms.evaluationPeriods,
    Threshold: spec.threshold,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    // No data means nothing happened (no errors, no parked deliveries): that is healthy.
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: 'AlarmTopic' }],
    OKActions: [{ Ref: 'AlarmTopic' }],
  },
});

const functionAlarms = (ctx: ObservabilityContext) =>
  Object.fromEntries(
    FUNCTIONS.flatMap((fn) => {
      const dimensions = [{ Name: 'FunctionName', Value: ctx.functionName(fn) }];
      const common = { namespace: 'AWS/Lambda', dimensions, statistic: 'Sum' };
      return [
        [
          `${capitalize(fn)}ErrorsAlarm`,
          alarm(ctx, {
            ...common,
            description: `${fn} is failing invocations.`,
            metric: 'Errors',
            threshold: ctx.alarms.errors,
          }),
        ],
        [
          `${capitalize(fn)}ThrottlesAlarm`,
          alarm(ctx, {
            ...common,
            description: `${fn} is throttled (account or reserved concurrency).`,
            metric: 'Throttles',
            threshold: ctx.alarms.throttles,
          }),
        ],
      ];
    }),
  );

const queueAlarms = (ctx: ObservabilityContext) =>
  Object.fromEntries(
    (Object.keys(QUEUES) as QueueId[]).map((queue) => [
      `${queue}DepthAlarm`,
      alarm(ctx, {
        description: `${queue} holds failed events; inspect and redrive them.`,
        namespace: 'AWS/SQS',
        metric: 'ApproximateNumberOfMessagesVisible',
        dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
        statistic: 'Maximum',
        threshold: ctx.alarms.dlqDepth,
      }),
    ]),
  );

/** A custom metric alarm: Powertools Metrics adds the `service` dimension (POWERTOOLS_SERVICE_NAME) to every metric. */
const customAlarm = (ctx: ObservabilityContext, spec: Omit<AlarmSpec, 'namespace' | 'dimensions'>) =>
  alarm(ctx, { ...spec, namespace: METRICS_NAMESPACE, dimensions: [{ Name: 'service', Value: ctx.serviceName }] });

/** Every alarm of the stack, keyed by logical id. */
export const buildAlarms = (ctx: ObservabilityContext) => ({
  ...functionAlarms(ctx),
  ...queueAlarms(ctx),
  RouteIteratorAgeAlarm: alarm(ctx, {
    description: 'route lags the inbox stream; events are stored but not yet delivered.',
    namespace: 'AWS/Lambda',
    metric: 'IteratorAge',
    dimensions: [{ Name: 'FunctionName', Value: ctx.functionName('route') }],
    statistic: 'Maximum',
    threshold: ctx.alarms.iteratorAgeMs,
  }),
  ParkedDeliveriesAlarm: customAlarm(ctx, {
    description: 'Deliveries are being parked (no allowed healthy region, or a non-retryable error).',
    metric: 'Parked',
    statistic: 'Sum',
    threshold: ctx.alarms.parkedDeliveries,
  }),
  // The sweeper is the delivery guarantee (docs/decisions/014): its lag is how late the oldest unsettled event is.
  SweeperLagAlarm: customAlarm(ctx, {
    description: 'The sweeper falls behind: the oldest unsettled event it found waits longer than the threshold.',
    metric: 'SweeperLagMs',
    statistic: 'Maximum',
    threshold: ctx.alarms.sweeperLagMs,
  }),
  // The health probe (functions/health) could not reach this region's DynamoDB or EventBridge.
  RegionUnhealthyAlarm: customAlarm(ctx, {
    description: "This region's health probe fails: its DynamoDB or EventBridge is unreachable or slow.",
    metric: 'RegionUnhealthy',
    statistic: 'Sum',
    threshold: 1,
  }),
});

const widgetIn =
  (region: string) =>
  (title: string, metrics: unknown[][], { x, y, stat = 'Sum' }: { x: number; y: number; stat?: string }) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, metrics, stat, period: 60, view: 'timeSeries' },
  });

/**
 * The dashboard body (a JSON string) for the region: traffic, failures, lag, and the router's own
 * counters: waiting deliveries, failovers, leases, the sweeper's lag, repeats by cause and replication lag.
 */
export const buildDashboardBody = (ctx: ObservabilityContext): string => {
  const lambda = (metric: string) =>
    FUNCTIONS.map((fn) => ['AWS/Lambda', metric, 'FunctionName', ctx.functionName(fn)]);
  const custom = (names: string[]) => names.map((name) => [METRICS_NAMESPACE, name, 'service', ctx.serviceName]);
  const widget = widgetIn(ctx.region);
  const queues = (Object.keys(QUEUES) as QueueId[]).map((queue) => [
    'AWS/SQS',
    'ApproximateNumberOfMessagesVisible',
    'QueueName',
    ctx.queueName(queue),
  ]);
  const widgets = [
    widget('Invocations', lambda('Invocations'), { x: 0, y: 0 }),
    widget('Errors and throttles', [...lambda('Errors'), ...lambda('Throttles')], { x: 12, y: 0 }),
    widget('route iterator age (ms)', [['AWS/Lambda', 'IteratorAge', 'FunctionName', ctx.functionName('route')]], {
      x: 0,
      y: 6,
      stat: 'Maximum',
    }),
    widget('DLQ and on-failure queue depth', queues, { x: 12, y: 6, stat: 'Maximum' }),
    widget('Ingest', custom(['Ingested', 'DuplicateDropped', 'Quarantined']), { x: 0, y: 12 }),
    widget('Delivery', custom(['Routed', 'Delivered', 'DeliveryRetried', 'Parked', 'Replayed']), { x: 12, y: 12 }),
    widget('Waiting deliveries', custom(['Waiting']), { x: 0, y: 18 }),
    widget('Failovers', custom(['FailedOver']), { x: 12, y: 18 }),
    widget(
      'Quorum store: leases, unanswered reads',
      custom(['LeaseAcquired', 'LeaseLost', 'LeaseRenewUnanswered', 'RoutesPointerUnanswered']),
      { x: 0, y: 24 },
    ),
    widget('Sweeper lag (ms)', custom(['SweeperLagMs']), { x: 12, y: 24, stat: 'Maximum' }),
    widget('Repeats by cause', custom(['DuplicateDetected', 'Redelivered']), { x: 0, y: 30 }),
    widget('End-to-end latency p99 (ms)', custom(['EndToEndLatencyMs']), { x: 12, y: 30, stat: 'p99' }),
    widget('Replication lag, worst peer (ms)', custom(['ReplicationLagMs']), { x: 0, y: 36, stat: 'Maximum' }),
  ];
  return JSON.stringify({ widgets });
};
