'use strict';
/* global module -- serverless loads variable files with require(); CommonJS is the format it accepts. */
/**
 * CloudWatch alarms and the dashboard for one region's stack. Generated here rather than written
 * out in serverless.yml because they repeat per function and per queue; the packaging test
 * asserts the result, so a missing signal fails CI.
 */

const FUNCTIONS = ['ingest', 'route', 'health', 'admin'];
/** Logical ids of the queues in serverless.yml; any message in one needs a human. */
const QUEUES = ['IngestDlq', 'IngestFailedQueue', 'RouteFailedQueue'];
const METRICS_NAMESPACE = 'Switchyard';

const capitalize = (name) => name[0].toUpperCase() + name.slice(1);

const alarm = (ctx, { description, namespace, metric, dimensions, statistic, threshold }) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmDescription: `${description} Runbook: docs/deploy.md#alarms`,
    Namespace: namespace,
    MetricName: metric,
    Dimensions: dimensions,
    Statistic: statistic,
    Period: ctx.alarms.periodSeconds,
    EvaluationPeriods: ctx.alarms.evaluationPeriods,
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    // No data means nothing happened (no errors, no parked deliveries): that is healthy.
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: 'AlarmTopic' }],
    OKActions: [{ Ref: 'AlarmTopic' }],
  },
});

const functionAlarms = (ctx) =>
  Object.fromEntries(
    FUNCTIONS.flatMap((fn) => {
      const dimensions = [{ Name: 'FunctionName', Value: ctx.functionName(fn) }];
      return [
        [
          `${capitalize(fn)}ErrorsAlarm`,
          alarm(ctx, {
            description: `${fn} is failing invocations.`,
            namespace: 'AWS/Lambda',
            metric: 'Errors',
            dimensions,
            statistic: 'Sum',
            threshold: ctx.alarms.errors,
          }),
        ],
        [
          `${capitalize(fn)}ThrottlesAlarm`,
          alarm(ctx, {
            description: `${fn} is throttled (account or reserved concurrency).`,
            namespace: 'AWS/Lambda',
            metric: 'Throttles',
            dimensions,
            statistic: 'Sum',
            threshold: ctx.alarms.throttles,
          }),
        ],
      ];
    }),
  );

const queueAlarms = (ctx) =>
  Object.fromEntries(
    QUEUES.map((queue) => [
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

/** Every alarm of the stack, keyed by logical id. */
const buildAlarms = (ctx) => ({
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
  ParkedDeliveriesAlarm: alarm(ctx, {
    description: 'Deliveries are being parked (no allowed healthy region, or a non-retryable error).',
    namespace: METRICS_NAMESPACE,
    metric: 'Parked',
    // Powertools Metrics adds the `service` dimension (POWERTOOLS_SERVICE_NAME) to every metric.
    dimensions: [{ Name: 'service', Value: ctx.serviceName }],
    statistic: 'Sum',
    threshold: ctx.alarms.parkedDeliveries,
  }),
  // The health probe (functions/health) could not reach this region's DynamoDB or EventBridge.
  RegionUnhealthyAlarm: alarm(ctx, {
    description: "This region's health probe fails: its DynamoDB or EventBridge is unreachable or slow.",
    namespace: METRICS_NAMESPACE,
    metric: 'RegionUnhealthy',
    dimensions: [{ Name: 'service', Value: ctx.serviceName }],
    statistic: 'Sum',
    threshold: 1,
  }),
});

const widgetIn =
  (region) =>
  (title, metrics, { x, y, stat = 'Sum' }) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, metrics, stat, period: 60, view: 'timeSeries' },
  });

/** The dashboard body (a JSON string) for the region: traffic, failures, lag, and the router's own counters. */
const buildDashboardBody = (ctx) => {
  const lambda = (metric) => FUNCTIONS.map((fn) => ['AWS/Lambda', metric, 'FunctionName', ctx.functionName(fn)]);
  const custom = (names) => names.map((name) => [METRICS_NAMESPACE, name, 'service', ctx.serviceName]);
  const widget = widgetIn(ctx.region);
  const queues = QUEUES.map((queue) => [
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
    widget('Delivery', custom(['Routed', 'Delivered', 'DeliveryRetried', 'FailedOver', 'Parked', 'Replayed']), {
      x: 12,
      y: 12,
    }),
    widget('End-to-end latency p99 (ms)', custom(['EndToEndLatencyMs']), { x: 0, y: 18, stat: 'p99' }),
    widget('Replication lag p99 (ms)', custom(['ReplicationLagMs']), { x: 12, y: 18, stat: 'p99' }),
  ];
  return JSON.stringify({ widgets });
};

module.exports = { buildAlarms, buildDashboardBody, FUNCTIONS, QUEUES, METRICS_NAMESPACE };
