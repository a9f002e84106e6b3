import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricSink } from './services/delivery-metrics';

/** One logger and one metrics emitter per container; correlation keys are appended per event. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'switchyard' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Switchyard',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'switchyard',
});

/** Adapts Powertools Metrics to the services' counter interface (EMF, flushed per invocation). */
export const powertoolsSink: MetricSink = {
  add: (metric, value) => {
    if (value > 0) metrics.addMetric(metric, MetricUnit.Count, value);
  },
};
