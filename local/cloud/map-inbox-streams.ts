import { ROUTE_STREAM_MAPPING, routeFilterPatterns } from '../../stages/lib/deployment-settings';
import { createStreamMapping, type StreamMapping } from '../lambda/stream-mapping';
import type { LocalCloud } from './local-cloud';
import type { LocalStage } from './local-stage';
import { queueArn } from './wire-event-bridge';

/** The route function's inbox stream mappings in one region, one per zone table there, with serverless.yml's settings. */
export const mapInboxStreams = (
  cloud: LocalCloud,
  stage: LocalStage,
  region: string,
  zones: readonly string[],
): Promise<StreamMapping[]> =>
  Promise.all(
    zones.map((zone) =>
      createStreamMapping({
        region,
        tableName: stage.tables.zone(zone, 'inbox'),
        functionName: 'route',
        invoker: cloud.runtime,
        dynamodbEndpoint: cloud.endpoints.dynamodb,
        watermark: cloud.streamWatermarks.of(region),
        writes: cloud.tableWrites,
        queues: cloud.queues,
        startingPosition: ROUTE_STREAM_MAPPING.startingPosition,
        batchSize: ROUTE_STREAM_MAPPING.batchSize,
        maximumBatchingWindowInSeconds: ROUTE_STREAM_MAPPING.maximumBatchingWindowInSeconds,
        filterCriteria: {
          Filters: routeFilterPatterns(region).map((pattern) => ({ Pattern: JSON.stringify(pattern) })),
        },
        functionResponseTypes: [ROUTE_STREAM_MAPPING.functionResponseType],
        bisectBatchOnFunctionError: ROUTE_STREAM_MAPPING.bisectBatchOnFunctionError,
        maximumRetryAttempts: ROUTE_STREAM_MAPPING.maximumRetryAttempts,
        destinationConfig: { onFailure: { destination: queueArn(region, stage.names.queue('RouteFailedQueue')) } },
      }),
    ),
  );
