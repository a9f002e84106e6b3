import { randomUUID } from 'node:crypto';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { presignCallerProof } from '../../../cli/admin-client';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/admin/handler';
import { createCoordTable } from '../../../shared/adapters/coord-table';
import { createFailureQueues } from '../../../shared/adapters/failure-queues';
import { createQuarantineTable } from '../../../shared/adapters/quarantine-table';
import type { AdminDeps } from '../../../shared/services/admin/admin-deps';
import { createCallerVerifier } from '../../../shared/services/admin/verify-caller';
import { createMemoryLog } from '../../../shared/services/telemetry';
import { LEDGER_ROW } from '../../../shared/table-definitions';
import { sampleCatalogDocument, SAMPLE_CATALOG_YAML } from '../../helpers/factories';
import { startRouterHarness, type RouterHarness } from './router-harness';
import { createHandler as createIngest } from '../../../functions/ingest/handler';

const REGION = 'eu-west-1';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

let harness: RouterHarness;
let admin: ReturnType<typeof createHandler>;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'itadmin', regions: REGIONS });
  const { control, quorum, inbox, ledger } = harness.adapters(REGION);
  const deps: AdminDeps = {
    region: REGION,
    stage: 'itadmin',
    regions: REGIONS,
    zones: new Map(Object.entries(harness.local.config.residencyZones)),
    compileOptions: { stage: { name: 'local', zones: harness.local.config.residencyZones } },
    control,
    quorum,
    inbox,
    ledger,
    quarantineOf: (r) =>
      createQuarantineTable({ client: harness.adapters(r).client, tableName: harness.tables.quarantine }),
    peerCoord: (r) => createCoordTable({ client: harness.adapters(r).client, tableName: harness.tables.coord }),
    verifyCaller: createCallerVerifier({ region: REGION, stsEndpoint: harness.cloud.endpoints.lambda }),
    failureQueues: createFailureQueues({
      client: new SQSClient({ region: REGION, endpoint: harness.cloud.endpoints.sqs }),
      queueName: (queue) => `switchyard-itadmin-${queue}`,
    }),
    // Redrive's ingest path is exercised in test/integration/jobs/redrive.test.ts.
    ingest: () => Promise.reject(new Error('this test does not redrive')),
    dryRunWaitMs: 1_000,
    now: () => new Date(),
    newId: randomUUID,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: createMemoryLog(),
  };
  admin = createHandler(deps);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

/** A presigned sts:GetCallerIdentity URL for the local STS, signed as `accessKeyId`: what the CLI sends as proof. */
const callerProof = async (accessKeyId: string) => {
  const sha256 = new LambdaClient({ region: REGION }).config.sha256;
  const url = await presignCallerProof(
    { region: REGION, endpoint: harness.cloud.endpoints.lambda },
    { credentials: async () => ({ accessKeyId, secretAccessKey: 'x' }), sha256 },
  );
  return { url };
};

// The tests share one stage and run in order.
describe('admin handler', () => {
  it('publishes and activates the sample catalog through the quorum store, then shows it', async () => {
    // Act
    const published = await admin({ action: 'routes.publish', yaml: SAMPLE_CATALOG_YAML, activate: true });
    const shown = await admin({ action: 'routes.show' });
    // Assess
    expect(published).toEqual({
      ok: true,
      action: 'routes.publish',
      result: { version: 1, published: 'published', activated: true, previous: null },
    });
    expect(shown).toEqual({
      ok: true,
      action: 'routes.show',
      result: { version: 1, document: sampleCatalogDocument() },
    });
    const read = await harness.adapters('us-east-1').quorum.readRegister('routes-active');
    expect(read).toMatchObject({ outcome: 'read', register: { value: 1 } });
  });

  it('refuses a catalog that widens a zone beyond the stage, naming the path', async () => {
    // Prepare
    const document = {
      ...sampleCatalogDocument(),
      version: 2,
      zones: { ...sampleCatalogDocument().zones, eu: ['eu-west-1', 'us-east-1'] },
    };
    // Act
    const response = await admin({ action: 'routes.publish', yaml: stringify(document) });
    // Assess
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'CatalogValidation', issues: [expect.objectContaining({ path: 'zones.eu[1]' })] },
    });
  });

  it('refuses a malformed request with a typed error that says what is wrong, and an unknown action with the list of actions', async () => {
    // Act
    const malformed = await admin({ action: 'routes.activate', version: 'two' });
    const unknown = await admin({ action: 'routes.delete' });
    // Assess
    expect(malformed).toMatchObject({
      ok: false,
      action: 'routes.activate',
      error: { code: 'InvalidRequest', message: expect.stringContaining('version') },
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'UnknownAction', message: expect.stringContaining('routes.publish') },
    });
  });

  it('fences and unfences a region through the quorum store, and reports it in the region status', async () => {
    // Act
    const fenced = await admin({ action: 'region.fence', region: 'us-east-1' });
    const status = await admin({ action: 'region.status' });
    const unfenced = await admin({ action: 'region.unfence', region: 'us-east-1' });
    // Assess
    expect(fenced).toMatchObject({ ok: true, result: { region: 'us-east-1', fence: { mode: 'fence' } } });
    expect(status).toMatchObject({
      ok: true,
      result: { regions: expect.arrayContaining([expect.objectContaining({ region: 'us-east-1', state: 'fenced' })]) },
    });
    expect(unfenced).toMatchObject({ ok: true, result: { fence: null, previous: { mode: 'fence' } } });
  });

  it('erases everything stored for a key in its zone and audits it without the raw key', async () => {
    // Prepare: an EU customer event stored with its ledger rows, and a repeat of it dropped.
    const customerId = `c-${randomUUID()}`;
    const ingest = createIngest(harness.ingestDeps(REGION));
    const customerEvent = (id: string) => ({
      version: '0',
      id,
      'detail-type': 'CustomerUpdated',
      source: 'com.switchyard.eu.customers',
      account: '000000000000',
      time: '2026-11-30T10:00:00Z',
      region: REGION,
      resources: [],
      detail: { customerId, version: 1 },
    });
    const stored = await ingest(customerEvent(randomUUID()));
    if (stored.outcome !== 'stored') throw new Error(JSON.stringify(stored));
    const repeatId = randomUUID();
    expect((await ingest(customerEvent(repeatId))).outcome).toBe('duplicate');
    // Act
    const erased = await admin({ action: 'erase', source: 'com.switchyard.eu.customers', key: [customerId] });
    // Assess: the event row and the dropped repeat's row
    expect(erased).toMatchObject({ ok: true, result: { zone: 'eu', keys: 1, removed: { inbox: 1, ledgerRows: 2 } } });
    expect(await harness.getItem(REGION, harness.tables.zone('eu', 'inbox'), { id: stored.id })).toBeUndefined();
    for (const sk of [LEDGER_ROW.event(REGION), LEDGER_ROW.dropped(repeatId)])
      expect(await harness.getItem(REGION, harness.tables.zone('eu', 'ledger'), { id: stored.id, sk })).toBeUndefined();
    const audit = await admin({ action: 'audit.list' });
    const entry = (audit as { result: { entries: Array<Record<string, unknown>> } }).result.entries.find(
      (e) => e.action === 'erase',
    );
    expect(JSON.stringify(entry)).not.toContain(customerId);
  });

  it('audits every call with the caller STS verified from a presigned proof, and an unverified one without it', async () => {
    // Act
    await admin({ action: 'routes.show', callerProof: await callerProof('role-operator') });
    await admin({ action: 'region.status', actor: 'someone' });
    const audit = await admin({ action: 'audit.list', limit: 5 });
    // Assess
    const entries = (audit as { result: { entries: Array<{ action: string; caller: Record<string, unknown> }> } })
      .result.entries;
    expect(entries.find((e) => e.action === 'routes.show')?.caller).toMatchObject({
      principal: 'arn:aws:iam::000000000000:role/operator',
      verified: true,
    });
    expect(entries.find((e) => e.action === 'region.status')?.caller).toMatchObject({
      principal: 'someone',
      verified: false,
    });
  });
});
