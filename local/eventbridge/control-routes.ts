import { ControlRequestError, type ControlRoute } from '../control/route-table';
import type { QueueStore } from '../queues/queue-store';
import { toInspectable, type EventInspector } from './inspector';

/** Inspection routes of the local EventBridge, for the shared control server. */
export const eventBridgeControlRoutes = ({
  inspector,
  queues,
}: {
  inspector: EventInspector;
  queues: QueueStore;
}): ControlRoute[] => [
  {
    method: 'GET',
    path: '/inspect/events',
    description: 'Events accepted on buses, oldest first; filters: region, bus, source, limit (newest N).',
    handle: ({ query }) => {
      const filter = {
        region: optional(query, 'region'),
        bus: optional(query, 'bus'),
        source: optional(query, 'source'),
      };
      const events = inspector.listEvents({ ...filter, limit: readLimit(query) }).map(toInspectable);
      return {
        body: {
          events,
          droppedByRingBuffer: inspector.droppedCounts(),
          droppedForMissingBus: inspector.droppedForMissingBus,
        },
      };
    },
  },
  {
    method: 'DELETE',
    path: '/inspect/events',
    description: 'Forgets every recorded event.',
    handle: () => {
      inspector.clearEvents();
      return { status: 200, body: { cleared: true } };
    },
  },
  {
    method: 'GET',
    path: '/inspect/queues',
    description: 'Messages sent to SQS ARNs (rule targets and DLQs); filters: region, queue.',
    handle: ({ query }) => ({
      body: { messages: queues.list({ region: optional(query, 'region'), queueName: optional(query, 'queue') }) },
    }),
  },
  {
    method: 'GET',
    path: '/inspect/deliveries',
    description:
      'Per rule target: attempts, successes, failures, retries, dead-lettered and dropped events, last error.',
    handle: () => ({ body: { deliveries: inspector.listDeliveries() } }),
  },
];

const optional = (query: URLSearchParams, name: string): string | undefined => query.get(name) ?? undefined;

const readLimit = (query: URLSearchParams): number | undefined => {
  const raw = query.get('limit');
  if (raw === null) return undefined;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1)
    throw new ControlRequestError(`limit must be a positive integer, got ${raw}`);
  return limit;
};
