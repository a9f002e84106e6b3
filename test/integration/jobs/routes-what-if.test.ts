import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SAMPLE_CATALOG_PATH } from '../../../local/cloud/deploy-router';
import { keyOf, RouterHarness } from '../../../local/harness/router-harness';
import type { CatalogDocument } from '../../../shared/domain/catalog';
import { adminCall, order, orderKey } from './support/job-harness';

/** The sample catalog with fulfilment's orders sent to eu-west-1 first, and analytics for big orders dropped. */
const candidate = (): CatalogDocument => {
  const document = parse(readFileSync(SAMPLE_CATALOG_PATH, 'utf8')) as CatalogDocument;
  document.version = 2;
  document.routes = document.routes
    .filter((r) => r.name !== 'big-orders-to-analytics')
    .map((r) => (r.name === 'orders-to-fulfilment' ? { ...r, mode: 'pinned' as const, regions: ['eu-west-1'] } : r));
  return document;
};

describe('routes diff and what-if on stored events', () => {
  let harness: RouterHarness;
  const run = `wi${Date.now().toString(36)}`;

  beforeAll(async () => {
    harness = await RouterHarness.start();
    await harness.publish('us-east-1', [order(`${run}-small`), order(`${run}-big`, 5_000)]);
    await harness.waitFor('both orders delivered', () => {
      const delivered = new Set(harness.delivered('us-east-1', 'fulfilment').map(keyOf));
      return delivered.has(orderKey(`${run}-small`)) && delivered.has(orderKey(`${run}-big`));
    });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('shows what a published version changes against another', async () => {
    // Prepare
    await adminCall(harness, { action: 'routes.publish', yaml: stringify(candidate()) });
    // Act
    const diff = await adminCall<Record<string, unknown>>(harness, { action: 'routes.diff', from: 1, to: 2 });
    // Assess
    expect(diff).toMatchObject({
      from: 1,
      to: 2,
      unchanged: false,
      routes: {
        added: [],
        removed: ['big-orders-to-analytics'],
        changed: [{ name: 'orders-to-fulfilment', fields: ['mode', 'regions'] }],
      },
    });
  });

  it('runs a candidate against stored events and counts deliveries added, removed and moved between regions', async () => {
    // Act
    const result = await adminCall<{
      totals: Record<string, number>;
      samples: {
        keyDigest: string;
        moved: { target: string; from: { region: string }; to: { region: string } }[];
        removed: { to: string }[];
      }[];
    }>(harness, {
      action: 'routes.what-if',
      document: candidate(),
      from: new Date(Date.now() - 300_000).toISOString(),
    });
    // Assess: both orders move fulfilment from us-east-1 to eu-west-1; the big one loses its analytics delivery.
    expect(result.totals).toMatchObject({ events: 2, changedEvents: 2, moved: 2, removed: 1, added: 0 });
    expect(result.samples.flatMap((s) => s.moved.map((m) => [m.target, m.from.region, m.to.region]))).toEqual([
      ['fulfilment', 'us-east-1', 'eu-west-1'],
      ['fulfilment', 'us-east-1', 'eu-west-1'],
    ]);
    expect(result.samples.flatMap((s) => s.removed.map((r) => r.to))).toEqual(['analytics#us-east-1']);
  });

  it('refuses a candidate the stage does not allow, with every path in the typed error', async () => {
    // Prepare: a zone the stage does not have.
    const document = { ...candidate(), zones: { ...candidate().zones, mars: ['us-east-1'] } };
    // Act
    const response = (await harness.rc.cloud.runtime.invoke('us-east-1', 'admin', {
      action: 'routes.what-if',
      document,
    })) as {
      ok: boolean;
      error?: { code: string; issues?: unknown[] };
    };
    // Assess
    expect(response.ok).toBe(false);
    expect(response.error?.code).not.toBe('InvalidRequest');
    expect(response.error?.issues?.length).toBeGreaterThan(0);
  });
});
