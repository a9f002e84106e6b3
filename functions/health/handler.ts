import { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createControlTable } from '../../shared/adapters/control-table';
import { createDocumentClient, createEventBridgeClients } from '../../shared/clients';
import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { logger, metrics } from '../../shared/observability';
import { probeRegion, type ProbeDeps } from '../../shared/services/probe-region';
import type { RegionHeartbeat } from '../../shared/adapters/control-table';

/** The health function (schedule): probes this region's DynamoDB and EventBridge and records a heartbeat. */
export const createHandler = (deps: ProbeDeps) => async (): Promise<RegionHeartbeat> => {
  const heartbeat = await probeRegion(deps);
  metrics.addMetric('ProbeDynamoDbMs', MetricUnit.Milliseconds, heartbeat.dynamodbMs);
  metrics.addMetric('ProbeEventBridgeMs', MetricUnit.Milliseconds, heartbeat.eventBridgeMs);
  metrics.addMetric('RegionUnhealthy', MetricUnit.Count, heartbeat.ok ? 0 : 1);
  if (!heartbeat.ok) logger.error('region probe failed', { region: heartbeat.region, problems: heartbeat.problems });
  return heartbeat;
};

const defaultDeps = (): ProbeDeps => {
  const config = readConfig(process.env);
  const client = createDocumentClient(config);
  const control = createControlTable({ client, tableName: config.tables.control });
  const events = createEventBridgeClients(config)(config.region);
  return {
    region: config.region,
    control,
    probeDynamo: async () => {
      await control.getActiveVersion();
    },
    probeEventBridge: async () => {
      await events.send(new DescribeEventBusCommand({ Name: config.ingressBusName }));
    },
    now: () => new Date(),
    clock: () => performance.now(),
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
