import { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { createCoordTable } from '../../shared/adapters/coord-table';
import { createEventBridgeClients, createRemoteDocumentClients } from '../../shared/clients';
import { readConfig } from '../../shared/config';
import { DEFAULT_HEALTH_SETTINGS } from '../../shared/domain/health';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { powertoolsLog, powertoolsMetrics } from '../../shared/observability';
import type { HealthDeps } from '../../shared/services/health/health-deps';
import { healthTick, type TickReport } from '../../shared/services/health/health-tick';
import { probeTargetBuses } from '../../shared/services/health/target-bus-probe';
import { runRepeatedly } from '../../shared/services/run-repeatedly';
import { catalogsFor, controlFor, localClientFor, quorumStoreFor, zoneTablesFor } from '../../shared/wiring';

type HealthFunctionDeps = HealthDeps & { runMs: number; sleep: (ms: number) => Promise<void> };

/** The health function (schedule): every tick for one schedule period, probe, heartbeat, judge regions, hold leases. */
export const createHandler =
  (deps: HealthFunctionDeps) =>
  async (_event: unknown, context?: Context): Promise<TickReport | undefined> => {
    const reports = await runRepeatedly(
      {
        everyMs: deps.timing.tickMs,
        budgetMs: deps.runMs,
        now: deps.now,
        sleep: deps.sleep,
        ...(context?.getRemainingTimeInMillis ? { remainingMs: () => context.getRemainingTimeInMillis() } : {}),
      },
      async () => {
        const report = await healthTick(deps);
        deps.metrics.flush();
        return report;
      },
    );
    const last = reports.at(-1);
    if (last && !last.ok) deps.log.error('region probe failed', { region: last.region, problems: last.problems });
    return last;
  };

const defaultDeps = (): HealthFunctionDeps => {
  const config = readConfig(process.env);
  const client = localClientFor(config);
  const remote = createRemoteDocumentClients(config);
  const coord = createCoordTable({ client, tableName: config.tables.coord });
  const quorum = quorumStoreFor(config);
  const control = controlFor(config, client);
  const catalogs = catalogsFor(config, client, quorum);
  const events = createEventBridgeClients(config)(config.region);
  const describe = async (bus: string): Promise<void> =>
    void (await events.send(new DescribeEventBusCommand({ Name: bus })));
  const { ledger } = zoneTablesFor(config, client);
  const { tickMs, leaseMs, marginMs } = config.health;
  return {
    region: config.region,
    regions: config.stageRegions,
    zones: config.zones,
    quorum,
    coord,
    peer: (region) => createCoordTable({ client: remote(region), tableName: config.tables.coord }),
    probes: {
      dynamodb: () => coord.probe(new Date().toISOString()),
      ingressBus: () => describe(config.ingressBusName),
      targetBuses: async () => {
        const catalog = await catalogs.active();
        const buses = [...new Set([...catalog.targets.values()].flatMap((t) => t.buses.get(config.region) ?? []))];
        return probeTargetBuses(buses, describe, tickMs / 2);
      },
    },
    replication: {
      write: (zone, region, at) => ledger.events.writeReplicationProbe(zone, region, at),
      read: (zone) => ledger.query.replicationProbes(zone),
    },
    recordOutage: (outage) => control.recordOutage(outage),
    timing: {
      ...DEFAULT_HEALTH_SETTINGS,
      // Two ticks late plus the skew margin is a missed heartbeat (docs/decisions/013).
      heartbeatStaleMs: 2 * tickMs + marginMs,
      tickMs,
      leaseMs,
      marginMs,
      catchUpMs: 3 * tickMs + marginMs,
    },
    now: Date.now,
    metrics: powertoolsMetrics,
    log: powertoolsLog,
    runMs: config.health.runMs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
