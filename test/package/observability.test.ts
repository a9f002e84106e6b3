import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, QUEUES } from '../../stages/lib/deployment-settings';
import { METRICS_NAMESPACE } from '../../stages/lib/observability';
import { emittedMetricNames, unionMembers } from './helpers/metric-names';
import { loadPackagedStage, resourcesOfType, ROOT, type PackagedStage, type Template } from './helpers/packaged-stage';

const PACKAGING_TIMEOUT_MS = 600_000;
const TELEMETRY = path.join(ROOT, 'shared', 'services', 'telemetry.ts');

let packaged: PackagedStage;
beforeAll(() => {
  packaged = loadPackagedStage('prod');
}, PACKAGING_TIMEOUT_MS);

type AlarmProps = {
  Namespace: string;
  MetricName: string;
  Dimensions: Array<{ Name: string; Value: unknown }>;
  AlarmActions?: unknown[];
  Threshold: number;
};
const alarmsOf = (app: Template) =>
  resourcesOfType(app, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as AlarmProps);
const widgetsOf = (app: Template) => {
  const [[, dashboard] = []] = resourcesOfType(app, 'AWS::CloudWatch::Dashboard');
  return (
    JSON.parse(String(dashboard?.Properties?.DashboardBody)) as {
      widgets: Array<{ properties: { title: string; metrics: string[][] } }>;
    }
  ).widgets;
};
/** Every custom metric (the Switchyard namespace) an alarm or widget of the stack names. */
const customMetricsOf = (app: Template): string[] => [
  ...new Set([
    ...alarmsOf(app)
      .filter((a) => a.Namespace === METRICS_NAMESPACE)
      .map((a) => a.MetricName),
    ...widgetsOf(app).flatMap((w) =>
      w.properties.metrics.filter((m) => m[0] === METRICS_NAMESPACE).map((m) => m[1] ?? ''),
    ),
  ]),
];

describe.each(['us-east-1', 'eu-west-1', 'ap-southeast-2'])('alarms and dashboard in %s', (region) => {
  const app = () => packaged.regions.find((r) => r.region === region)?.app ?? { Resources: {} };

  it("watch every function's errors and throttles, route's iterator age, every failure queue, parked deliveries, the health probe and the sweeper's lag", () => {
    const signal = (a: AlarmProps) =>
      `${a.Namespace} ${a.MetricName} ${a.Dimensions.map((d) => JSON.stringify(d.Value)).join(',')}`;
    const fn = (name: string) => `"switchyard-prod-${name}"`;

    expect(alarmsOf(app()).map(signal).sort()).toEqual(
      [
        ...FUNCTIONS.flatMap((name) => [`AWS/Lambda Errors ${fn(name)}`, `AWS/Lambda Throttles ${fn(name)}`]),
        `AWS/Lambda IteratorAge ${fn('route')}`,
        ...Object.keys(QUEUES).map(
          (queue) => `AWS/SQS ApproximateNumberOfMessagesVisible {"Fn::GetAtt":["${queue}","QueueName"]}`,
        ),
        'Switchyard Parked "switchyard-prod"',
        'Switchyard RegionUnhealthy "switchyard-prod"',
        'Switchyard SweeperLagMs "switchyard-prod"',
      ].sort(),
    );
    expect(alarmsOf(app()).filter((a) => JSON.stringify(a.AlarmActions) !== '[{"Ref":"AlarmTopic"}]')).toEqual([]);
    expect(alarmsOf(app()).find((a) => a.MetricName === 'SweeperLagMs')?.Threshold).toBe(
      packaged.config.alarms.sweeperLagMs,
    );
  });

  it('shows waiting deliveries, failovers, leases, the sweeper lag and repeats by cause', () => {
    const shown = widgetsOf(app()).flatMap((w) => w.properties.metrics.map((m) => m[1]));

    expect(shown).toEqual(
      expect.arrayContaining([
        'Waiting',
        'FailedOver',
        'LeaseAcquired',
        'LeaseLost',
        'SweeperLagMs',
        'DuplicateDetected',
        'Redelivered',
      ]),
    );
  });

  it('names only custom metrics of the metric unions that the code emits with metrics.count or metrics.timing', () => {
    const known = new Set([...unionMembers(TELEMETRY, 'CountMetric'), ...unionMembers(TELEMETRY, 'TimingMetric')]);
    const emitted = emittedMetricNames([path.join(ROOT, 'shared'), path.join(ROOT, 'functions')]);
    const named = customMetricsOf(app());

    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((metric) => !known.has(metric))).toEqual([]);
    expect(named.filter((metric) => !emitted.has(metric))).toEqual([]);
  });
});

describe('the metric name scan', () => {
  it('finds literals in both branches of a conditional', () => {
    const emitted = emittedMetricNames([path.join(ROOT, 'shared'), path.join(ROOT, 'functions')]);

    expect(emitted.get('IngestRetried')).toBe('count');
    expect(emitted.get('SweeperLagMs')).toBe('timing');
    expect(emitted.get('ReplicationLagMs')).toBe('timing');
  });

  it('finds every metric the unions declare emitted somewhere: no dashboard can wait on a name nothing sends', () => {
    const emitted = emittedMetricNames([path.join(ROOT, 'shared'), path.join(ROOT, 'functions')]);
    const declared = [...unionMembers(TELEMETRY, 'CountMetric'), ...unionMembers(TELEMETRY, 'TimingMetric')];

    expect(declared.length).toBeGreaterThan(20);
    expect(declared.filter((metric) => !emitted.has(metric))).toEqual([]);
  });
});
