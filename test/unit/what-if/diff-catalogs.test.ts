import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogYaml, type CatalogDocument } from '../../../shared/domain/catalog';
import { diffCatalogs } from '../../../shared/domain/what-if/diff-catalogs';

const sample = (): CatalogDocument =>
  parseCatalogYaml(readFileSync(join(__dirname, '..', '..', '..', 'routes', 'sample.yaml'), 'utf8')) as CatalogDocument;

describe('routes diff', () => {
  it('finds nothing between a version and itself', () => {
    expect(diffCatalogs(sample(), { ...sample(), version: 2 })).toMatchObject({ from: 1, to: 2, unchanged: true });
  });

  it('names routes, targets and zones added, removed and changed, with the fields that changed', () => {
    // Prepare
    const next = { ...sample(), version: 2 };
    next.routes = next.routes
      .filter((r) => r.name !== 'payments-everywhere')
      .map((r) => (r.name === 'orders-to-fulfilment' ? { ...r, mode: 'fanout' as const } : r));
    next.routes.push({
      name: 'new-route',
      tenant: 'orders',
      pattern: { source: ['x'] },
      targets: ['analytics'],
      mode: 'local',
    });
    next.targets = { ...next.targets, audit: { buses: { 'us-east-1': 'audit' }, failover: ['us-east-1'] } };
    next.zones = { ...next.zones, transatlantic: ['us-east-1'] };
    // Act
    const diff = diffCatalogs(sample(), next);
    // Assess
    expect(diff.routes).toEqual({
      added: ['new-route'],
      removed: ['payments-everywhere'],
      changed: [{ name: 'orders-to-fulfilment', fields: ['mode'] }],
    });
    expect(diff.targets.added).toEqual(['audit']);
    expect(diff.zones.changed).toEqual([{ name: 'transatlantic', fields: ['value'] }]);
    expect(diff.unchanged).toBe(false);
  });
});
