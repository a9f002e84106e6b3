import { describe, expect, it } from 'vitest';
import type { ControlJobs } from '../../../shared/adapters/control-jobs';
import type { LedgerTable } from '../../../shared/adapters/ledger-table';
import { encodeKey, sourceOfKeyId } from '../../../shared/domain/ingest/key-encoding';
import { startJob } from '../../../shared/services/jobs/start-job';
import { NOW } from './job-fixtures';

const EU = 'com.switchyard.eu.customers';
const ORDERS = 'com.switchyard.orders';
const euKey = encodeKey(EU, [{ type: 's', value: 'c-1' }]).id;
const orderKey = encodeKey(ORDERS, [{ type: 's', value: 'o-1' }]).id;
const hashedKey = `h1:${'a'.repeat(64)}`;
const eventBridgeId = '6f1c2d7e-0000-4000-8000-000000000001';

/** startJob's stores, recording what each zone's ledger was given. */
const stores = () => {
  const selections = new Map<string, string[]>();
  const ledger = {
    jobs: {
      putSelection: (zone: string, _jobId: string, ids: readonly string[]) => {
        selections.set(zone, [...ids]);
        return Promise.resolve();
      },
    },
  } as unknown as Pick<LedgerTable, 'jobs'>;
  const control = {
    putJob: () => Promise.resolve(),
    markActive: () => Promise.resolve(),
  } as unknown as ControlJobs;
  return { selections, deps: { control, ledger, now: () => NOW, newId: () => 'abc' } };
};

describe('startJob', () => {
  it("puts a readable key only into its own zone's ledger, and opaque ids into every covered zone", async () => {
    // Prepare
    const { selections, deps } = stores();
    const residency = new Map([
      [EU, 'eu'],
      [ORDERS, 'global'],
    ]);
    // Act
    await startJob(
      {
        kind: 'replay',
        selection: { eventIds: [euKey, orderKey, hashedKey, eventBridgeId] },
        mode: 'missing',
        dryRun: false,
        budgetPerSecond: 10,
        zones: new Map([
          ['global', ['eu-west-1']],
          ['eu', ['eu-west-1']],
        ]),
        zoneOfId: (id) => residency.get(sourceOfKeyId(id) ?? ''),
        caller: 'arn:aws:iam::000000000000:role/operator',
      },
      deps,
    );
    // Assess
    expect(selections.get('global')).toEqual([orderKey, hashedKey, eventBridgeId]);
    expect(selections.get('eu')).toEqual([euKey, hashedKey, eventBridgeId]);
  });

  it('reads the source of a readable key id, and nothing from a hashed or foreign one', () => {
    expect(sourceOfKeyId(euKey)).toBe(EU);
    expect(sourceOfKeyId(hashedKey)).toBeUndefined();
    expect(sourceOfKeyId(eventBridgeId)).toBeUndefined();
    expect(sourceOfKeyId('k1[not json')).toBeUndefined();
  });
});
