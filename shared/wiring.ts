/**
 * Builds the real adapters and service dependencies from the validated config, once per cold start.
 * Each handler calls only the factories it needs, so its role grants only what those reach
 * (test/package derives the grants from these calls).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createControlTable, type ControlTable } from './adapters/control-table';
import { createCoordTable } from './adapters/coord-table';
import { createEventBusPublisher } from './adapters/event-bus';
import { createInboxTable } from './adapters/inbox-table';
import { createLedgerTable } from './adapters/ledger-table';
import { createQuarantineTable } from './adapters/quarantine-table';
import { createQuorumStore, type QuorumStore } from './adapters/quorum-store';
import { createDocumentClient, createEventBridgeClients, createRemoteDocumentClients } from './clients';
import type { RouterConfig } from './config';
import { createBreakers } from './domain/delivery/breaker-registry';
import { DEFAULT_BREAKER_SETTINGS } from './domain/delivery/breaker';
import { powertoolsLog, powertoolsMetrics } from './observability';
import { retentionDays } from './domain/retention';
import { createCatalogProvider, type CatalogProvider } from './services/catalog-provider';
import type { DeliveryDeps } from './services/delivery/delivery-deps';
import type { IngestDeps } from './services/ingest-event';
import { ROUTES_REGISTER } from './services/health/health-deps';
import { createOwnershipView, type OwnershipView } from './services/ownership-view';
import { createRegionView } from './services/region-view';

/** The quorum store over every stage region's coord table. */
export const quorumStoreFor = (config: RouterConfig): QuorumStore => {
  const remote = createRemoteDocumentClients(config);
  return createQuorumStore({
    clients: new Map(config.stageRegions.map((r) => [r, remote(r)])),
    tableName: config.tables.coord,
    now: Date.now,
    settings: { durationMs: config.health.leaseMs, marginMs: config.health.marginMs },
    regionTimeoutMs: config.health.regionTimeoutMs,
  });
};

/** The active routes version a register read found; undefined when none is active. */
const activeVersion = (register: { value: unknown } | undefined): number | undefined =>
  typeof register?.value === 'number' ? register.value : undefined;

/**
 * The routes catalog: versions from the control table, the active pointer from the quorum store,
 * or from this region's coord table while no majority answers (decision 019).
 */
export const catalogsFor = (
  config: RouterConfig,
  client: DynamoDBDocumentClient,
  quorum: QuorumStore,
): CatalogProvider => {
  const coord = createCoordTable({ client, tableName: config.tables.coord });
  return createCatalogProvider({
    control: controlFor(config, client),
    readActive: async () => {
      const read = await quorum.readRegister(ROUTES_REGISTER);
      if (read.outcome !== 'read') {
        const replies = (read.answers.read ?? []).map(
          (r) => `${r.region} ${r.answer === 'none' ? r.errorCode : 'answered'}`,
        );
        throw new Error(`the routes pointer has no quorum (${read.answered} regions answered: ${replies.join(', ')})`);
      }
      return activeVersion(read.register);
    },
    readActiveHere: async () => activeVersion(await coord.readRegisterHere(ROUTES_REGISTER)),
    ttlMs: config.routesCacheTtlMs,
    now: Date.now,
    metrics: powertoolsMetrics,
  });
};

export const controlFor = (config: RouterConfig, client: DynamoDBDocumentClient): ControlTable =>
  createControlTable({ client, tableName: config.tables.control });

export const zoneTablesFor = (config: RouterConfig, client: DynamoDBDocumentClient) => ({
  inbox: createInboxTable({ client, tableOf: (zone) => config.tables.zone(zone, 'inbox') }),
  ledger: createLedgerTable({
    client,
    tableOf: (zone) => config.tables.zone(zone, 'ledger'),
    retentionDays: (zone) => retentionDays(config.retention, zone),
  }),
});

/** What this region may route now (its own coord table). */
export const ownershipFor = (config: RouterConfig, client: DynamoDBDocumentClient): OwnershipView =>
  createOwnershipView({
    coord: createCoordTable({ client, tableName: config.tables.coord }),
    now: Date.now,
    cacheMs: 1_000,
  });

/**
 * Everything the delivery engine needs, for route and sweeper; call `refresh` at the start of each
 * invocation so region usability follows the health function's latest judgement.
 */
export const deliveryDepsFor = (
  config: RouterConfig,
  client: DynamoDBDocumentClient,
): { deps: DeliveryDeps; refresh: () => Promise<void> } => {
  const regions = createRegionView({
    coord: createCoordTable({ client, tableName: config.tables.coord }),
    now: Date.now,
    cacheMs: 1_000,
  });
  const deps: DeliveryDeps = {
    region: config.region,
    ledger: zoneTablesFor(config, client).ledger,
    bus: createEventBusPublisher({ clientFor: createEventBridgeClients(config) }),
    catalogs: catalogsFor(config, client, quorumStoreFor(config)),
    breakers: createBreakers(DEFAULT_BREAKER_SETTINGS, Date.now),
    regionUsable: regions.usable,
    metrics: powertoolsMetrics,
    log: powertoolsLog,
    now: () => new Date(),
    newToken: randomUUID,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    settings: {
      claimTtlMs: config.sweeper.claimTimeoutMs,
      maxBatchBytes: config.maxEventBytes,
      maxRounds: 2,
      backoff: { baseMs: 50, capMs: 400 },
      waitBackoff: { baseMs: 500, capMs: 30_000 },
      waitingHorizonMs: config.sweeper.waitingHorizonMs,
      catalogGraceMs: 600_000,
    },
  };
  return { deps, refresh: regions.refresh };
};

/** The default document client for the function's region. */
export const localClientFor = (config: RouterConfig): DynamoDBDocumentClient => createDocumentClient(config);

/** What ingesting one event needs: the ingest function's, and admin's redrive of a dead-lettered event. */
export const ingestDepsFor = (
  config: RouterConfig,
  client: DynamoDBDocumentClient,
  quorum: QuorumStore,
): IngestDeps => {
  const zones = zoneTablesFor(config, client);
  return {
    region: config.region,
    catalogs: catalogsFor(config, client, quorum),
    inbox: zones.inbox,
    ledger: zones.ledger,
    quarantine: createQuarantineTable({ client, tableName: config.tables.quarantine }),
    now: () => new Date(),
    newId: randomUUID,
    maxEventBytes: config.maxEventBytes,
    retention: config.retention,
    bindings: config.bindings,
    hopLimit: config.hopLimit,
    sweepGraceMs: config.sweeper.graceMs,
    metrics: powertoolsMetrics,
    log: powertoolsLog,
  };
};
