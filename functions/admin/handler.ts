import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createCoordTable } from '../../shared/adapters/coord-table';
import { createQuarantineTable } from '../../shared/adapters/quarantine-table';
import { createRemoteDocumentClients } from '../../shared/clients';
import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { powertoolsLog } from '../../shared/observability';
import type { AdminDeps } from '../../shared/services/admin/admin-deps';
import { runAdmin, type AdminResponse } from '../../shared/services/admin/run-admin';
import { createCallerVerifier } from '../../shared/services/admin/verify-caller';
import { controlFor, localClientFor, quorumStoreFor, zoneTablesFor } from '../../shared/wiring';

/** The admin function (direct invoke by operator roles only): one action from the registry per call, every call audited. */
export const createHandler =
  (deps: AdminDeps & { requestId?: { current?: string } }) =>
  async (event: unknown, context?: Context): Promise<AdminResponse> => {
    if (deps.requestId) deps.requestId.current = context?.awsRequestId;
    const response = await runAdmin(event, deps);
    if (response.ok) deps.log.info('admin action done', { action: response.action });
    else deps.log.warn('admin action refused', { action: response.action, code: response.error.code });
    return response;
  };

const defaultDeps = (): AdminDeps & { requestId: { current?: string } } => {
  const config = readConfig(process.env);
  const client = localClientFor(config);
  const remote = createRemoteDocumentClients(config);
  const zones = zoneTablesFor(config, client);
  const requestId: { current?: string } = {};
  const stsEndpoint = process.env.STS_ENDPOINT?.trim();
  return {
    requestId,
    region: config.region,
    stage: config.stage,
    regions: config.stageRegions,
    zones: config.zones,
    compileOptions: {
      stage: {
        name: config.stage,
        zones: Object.fromEntries(config.zones),
        retention: { defaultDays: config.retention.defaultDays, zoneDays: config.retention.zoneDays },
        bindings: Object.fromEntries([...config.bindings].map(([tenant, b]) => [tenant, [...b.sources]])),
      },
    },
    control: controlFor(config, client),
    quorum: quorumStoreFor(config),
    inbox: zones.inbox,
    ledger: zones.ledger,
    quarantineOf: (region) =>
      createQuarantineTable({
        client: region === config.region ? client : remote(region),
        tableName: config.tables.quarantine,
      }),
    peerCoord: (region) =>
      createCoordTable({ client: region === config.region ? client : remote(region), tableName: config.tables.coord }),
    verifyCaller: createCallerVerifier({
      region: config.region,
      ...(stsEndpoint ? { stsEndpoint } : {}),
      requestId: () => requestId.current,
    }),
    now: () => new Date(),
    newId: randomUUID,
    log: powertoolsLog,
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
