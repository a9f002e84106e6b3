import { describe, expect, it } from 'vitest';
import { CatalogValidationError, compileCatalog } from '../../../shared/domain/catalog';
import { sampleCatalogDocument } from '../../helpers/factories';
import { issuesOf, route } from './catalog-fixtures';

describe('compileCatalog', () => {
  it('compiles the sample catalog into sources, zones, targets and routes', () => {
    // Prepare
    const doc = sampleCatalogDocument();

    // Act
    const catalog = compileCatalog(doc);

    // Assess
    expect(catalog.version).toBe(1);
    expect(catalog.sources.get('com.switchyard.payments')).toEqual({
      source: 'com.switchyard.payments',
      tenant: 'payments',
      residency: 'transatlantic',
      keyPaths: [['detail', 'paymentId']],
    });
    expect(catalog.sources.get('com.switchyard.eu.customers')?.keyPaths).toEqual([
      ['detail', 'customerId'],
      ['detail', 'version'],
    ]);
    expect(catalog.tenants.get('orders')).toEqual({ name: 'orders' });
    expect(catalog.zones.get('eu')).toEqual(['eu-west-1']);
    expect(catalog.targets.get('ledger-sync')?.failover).toEqual(['eu-west-1', 'us-east-1']);
    expect(catalog.routes.map((r) => [r.name, r.mode])).toEqual([
      ['orders-to-fulfilment', 'local'],
      ['big-orders-to-analytics', 'pinned'],
      ['payments-everywhere', 'fanout'],
      ['eu-customers-local', 'local'],
    ]);
    expect(catalog.routes[1]?.regions).toEqual(['us-east-1']);
  });

  it('compiles route patterns that match with the EventBridge matcher', () => {
    // Prepare
    const catalog = compileCatalog(sampleCatalogDocument());
    const bigOrders = catalog.routes[1];

    // Act
    const matchesBig = bigOrders?.pattern.matches({ source: 'com.switchyard.orders', detail: { total: 1500 } });
    const matchesSmall = bigOrders?.pattern.matches({ source: 'com.switchyard.orders', detail: { total: 15 } });

    // Assess
    expect(matchesBig).toBe(true);
    expect(matchesSmall).toBe(false);
  });

  it('gives a source keyed by the event id no key paths', () => {
    // Prepare
    const doc = sampleCatalogDocument();
    delete doc.tenants.orders?.sources[0]?.idempotencyKey;

    // Act
    const catalog = compileCatalog(doc);

    // Assess
    expect(catalog.sources.get('com.switchyard.orders')?.keyPaths).toEqual([]);
  });

  it('names the path of a route target that is not declared', () => {
    const issues = issuesOf((doc) => {
      route(doc, 0).targets = ['fulfilment', 'warehouse'];
    });
    expect(issues).toEqual([{ path: 'routes[0].targets[1]', message: 'unknown target warehouse' }]);
  });

  it('names the path of a route tenant that is not declared', () => {
    const issues = issuesOf((doc) => {
      route(doc, 3).tenant = 'marketing';
    });
    expect(issues).toContainEqual({ path: 'routes[3].tenant', message: 'unknown tenant marketing' });
  });

  it('rejects a route whose tenant does not own the source it names', () => {
    const issues = issuesOf((doc) => {
      route(doc, 2).tenant = 'orders';
    });
    expect(issues).toEqual([
      {
        path: 'routes[2].pattern.source[0]',
        message: 'source com.switchyard.payments belongs to tenant payments, not orders',
      },
    ]);
  });

  it('rejects a route naming a source no tenant declares', () => {
    const issues = issuesOf((doc) => {
      route(doc, 0).pattern = { source: ['com.switchyard.orders', 'com.other.thing'] };
    });
    expect(issues).toEqual([
      { path: 'routes[0].pattern.source[1]', message: 'source com.other.thing is not declared by any tenant' },
    ]);
  });

  it('rejects a route pattern that does not list its sources exactly', () => {
    const issues = issuesOf((doc) => {
      route(doc, 0).pattern = { source: [{ prefix: 'com.switchyard.' }] };
    });
    expect(issues.map((i) => i.path)).toEqual(['routes[0].pattern.source']);
  });

  it('rejects a pinned route without regions', () => {
    const issues = issuesOf((doc) => {
      delete route(doc, 1).regions;
    });
    expect(issues).toEqual([{ path: 'routes[1].regions', message: 'a pinned route must list its regions' }]);
  });

  it('rejects regions on a route that is not pinned', () => {
    const issues = issuesOf((doc) => {
      route(doc, 0).regions = ['us-east-1'];
    });
    expect(issues).toEqual([{ path: 'routes[0].regions', message: 'only pinned routes list regions (mode is local)' }]);
  });

  it('rejects a pinned region where a target has no bus', () => {
    const issues = issuesOf((doc) => {
      route(doc, 1).regions = ['us-east-1', 'ap-southeast-2'];
    });
    expect(issues).toEqual([
      { path: 'routes[1].regions[1]', message: 'target analytics has no bus in ap-southeast-2' },
    ]);
  });

  it('rejects a string that is not an AWS region, naming where it is', () => {
    const issues = issuesOf((doc) => {
      doc.zones.global = ['us-east-1', 'moon-base-1'];
    });
    expect(issues).toEqual([{ path: 'zones.global[1]', message: 'must be an AWS region such as eu-west-1' }]);
  });

  it('rejects a pinned region that is not an AWS region', () => {
    const issues = issuesOf((doc) => {
      route(doc, 1).regions = ['US-EAST-1'];
    });
    expect(issues.map((i) => i.path)).toEqual(['routes[1].regions[0]']);
  });

  it("reports an invalid pattern with the matcher's reason", () => {
    const issues = issuesOf((doc) => {
      route(doc, 0).pattern = { source: ['com.switchyard.orders'], detail: { sku: [{ wildcard: 'a**b' }] } };
    });
    expect(issues).toEqual([
      {
        path: 'routes[0].pattern',
        message: 'Event pattern is not valid. Reason: Consecutive wildcard characters at pos 2',
      },
    ]);
  });

  it('does not take a name of Object.prototype for a declared target, tenant or zone', () => {
    const issues = issuesOf((doc) => {
      route(doc, 0).targets = ['constructor'];
      route(doc, 0).tenant = 'constructor';
      const source = doc.tenants.payments?.sources[0];
      if (source) source.residency = 'constructor';
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'tenants.payments.sources[0].residency', message: 'unknown residency zone constructor' },
        { path: 'routes[0].tenant', message: 'unknown tenant constructor' },
        { path: 'routes[0].targets[0]', message: 'unknown target constructor' },
      ]),
    );
  });

  it('rejects a route name used twice, at the second use', () => {
    const issues = issuesOf((doc) => {
      route(doc, 3).name = 'orders-to-fulfilment';
    });
    expect(issues).toEqual([{ path: 'routes[3].name', message: 'route name orders-to-fulfilment is used twice' }]);
  });

  it('rejects a failover region without a bus and a failover order that repeats a region', () => {
    const issues = issuesOf((doc) => {
      const analytics = doc.targets.analytics;
      if (analytics) analytics.failover = ['us-east-1', 'eu-west-1', 'us-east-1', 'ap-southeast-2'];
    });
    expect(issues).toEqual([
      { path: 'targets.analytics.failover[3]', message: 'region ap-southeast-2 has no bus in targets.analytics.buses' },
      { path: 'targets.analytics.failover', message: 'lists a region more than once' },
    ]);
  });

  it('rejects a source residency naming an unknown zone', () => {
    const issues = issuesOf((doc) => {
      const source = doc.tenants.payments?.sources[0];
      if (source) source.residency = 'apac';
    });
    expect(issues).toEqual([{ path: 'tenants.payments.sources[0].residency', message: 'unknown residency zone apac' }]);
  });

  it('rejects a source declared by two tenants', () => {
    const issues = issuesOf((doc) => {
      doc.tenants.payments?.sources.push({ source: 'com.switchyard.orders', residency: 'global' });
    });
    expect(issues).toContainEqual({
      path: 'tenants.payments.sources[1].source',
      message: 'source com.switchyard.orders already belongs to tenant orders',
    });
  });

  it('rejects a field the schema does not know', () => {
    const issues = issuesOf((doc) => {
      Object.assign(route(doc, 0), { priority: 1 });
    });
    expect(issues.map((i) => i.path)).toEqual(['routes[0]']);
    expect(issues[0]?.message).toContain('priority');
  });

  it('reports every cross-reference mistake at once and lists their paths in the message', () => {
    // Prepare
    const doc = sampleCatalogDocument();
    route(doc, 0).targets = ['nowhere'];
    delete route(doc, 1).regions;

    // Act
    const act = () => compileCatalog(doc);

    // Assess
    expect(act).toThrow(CatalogValidationError);
    expect(act).toThrow(
      /routes\[0\]\.targets\[0\]: unknown target nowhere[\s\S]*routes\[1\]\.regions: a pinned route must list its regions/,
    );
  });

  it('rejects a document that is not an object, naming the document itself', () => {
    const act = () => compileCatalog('version: 1');
    expect(act).toThrow(/\(document\)/);
  });
});
