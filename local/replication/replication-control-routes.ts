import { ControlRequestError, type ControlRoute } from '../control/route-table';
import type { Replicator } from './replicator';

const setPartition = (replicator: Replicator, params: Record<string, string>, partitioned: boolean) => {
  const { a = '', b = '' } = params;
  try {
    replicator.setPartition(a, b, partitioned);
  } catch (error) {
    throw new ControlRequestError(error instanceof Error ? error.message : String(error));
  }
  return { body: replicator.status() };
};

/** The control API of the global-tables emulator: status, lag and partitions between region pairs. */
export const replicationControlRoutes = (replicator: Replicator): ControlRoute[] => [
  {
    method: 'GET',
    path: '/replication',
    description: 'Replication status: lag setting, partitions, and per-pair queue and ReplicationLagMs stats',
    handle: () => ({ body: replicator.status() }),
  },
  {
    method: 'PUT',
    path: '/replication/lag',
    description: 'Sets the replication lag for every region pair: body {"lagMs": number}',
    handle: ({ body }) => {
      const lagMs = (body as { lagMs?: unknown } | null)?.lagMs;
      if (typeof lagMs !== 'number' || !Number.isFinite(lagMs) || lagMs < 0)
        throw new ControlRequestError('Body must be {"lagMs": <number >= 0>}');
      replicator.setLag(lagMs);
      return { body: replicator.status() };
    },
  },
  {
    method: 'PUT',
    path: '/replication/partitions/:a/:b',
    description:
      'Partitions two regions: replication between them is held until healed (the same partition as PUT /partitions/:a/:b)',
    handle: ({ params }) => setPartition(replicator, params, true),
  },
  {
    method: 'DELETE',
    path: '/replication/partitions/:a/:b',
    description: 'Heals a partition (as DELETE /partitions/:a/:b does): held writes are delivered in order',
    handle: ({ params }) => setPartition(replicator, params, false),
  },
];
