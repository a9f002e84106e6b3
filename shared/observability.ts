import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LogPort, MetricsPort } from './services/telemetry';

/** One logger and one metrics emitter per container. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'switchyard' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Switchyard',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'switchyard',
});

let stored = false;

/** The metrics port over Powertools Metrics (EMF, flushed per invocation by the middleware). */
export const powertoolsMetrics: MetricsPort = {
  count: (metric, value = 1) => {
    if (value <= 0) return;
    metrics.addMetric(metric, MetricUnit.Count, value);
    stored = true;
  },
  timing: (metric, ms) => {
    metrics.addMetric(metric, MetricUnit.Milliseconds, Math.max(0, Math.round(ms)));
    stored = true;
  },
  // Only when something was counted: an empty flush makes Powertools warn on every pass.
  flush: () => {
    if (stored) metrics.publishStoredMetrics();
    stored = false;
  },
};

/** The log port over the Powertools logger; event lines carry the correlation keys via appendKeys. */
export const powertoolsLog: LogPort = {
  info: (message, fields) => logger.info(message, { ...fields }),
  warn: (message, fields) => logger.warn(message, { ...fields }),
  error: (message, fields) => logger.error(message, { ...fields }),
  forEvent: (keys, level, message, fields) => {
    const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined));
    logger.appendKeys(defined);
    try {
      logger[level](message, { ...fields });
    } finally {
      logger.removeKeys(Object.keys(defined));
    }
  },
};
