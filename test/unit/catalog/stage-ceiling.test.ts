import { describe, expect, it } from 'vitest';
import { compileCatalog, retentionDaysOf } from '../../../shared/domain/catalog';
import { sampleCatalogDocument } from '../../helpers/factories';
import { compileVariant, firstSource, issuesOf, localStage, SAMPLE_BINDINGS, tenant } from './catalog-fixtures';

describe('compileCatalog: the stage ceiling', () => {
  it('compiles the sample catalog against stages/local.yml, and without a stage, to the same catalog', () => {
    // Prepare
    const stage = localStage();

    // Act
    const withStage = compileCatalog(sampleCatalogDocument(), { stage });
    const withoutStage = compileCatalog(sampleCatalogDocument());

    // Assess
    expect(stage.zones).toEqual({
      global: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
      transatlantic: ['us-east-1', 'eu-west-1'],
      eu: ['eu-west-1'],
    });
    expect([...withStage.zones]).toEqual([...withoutStage.zones]);
    expect([...withStage.sources]).toEqual([...withoutStage.sources]);
    expect(withStage.routes.map((r) => r.name)).toEqual(withoutStage.routes.map((r) => r.name));
  });

  it('refuses a catalog zone the stage does not have, listing the stage zones', () => {
    const stage = localStage({ zones: { eu: ['eu-west-1'], global: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] } });
    const issues = issuesOf(
      (doc) => {
        delete doc.zones.transatlantic;
        doc.zones.apac = ['ap-southeast-2'];
        firstSource(doc, 'payments').residency = 'global';
      },
      { stage },
    );
    expect(issues).toEqual([
      { path: 'zones.apac', message: 'zone apac is not a zone of this stage (stage zones: eu, global)' },
    ]);
  });

  it("refuses a catalog zone that widens the stage's zone, at the region's index", () => {
    const issues = issuesOf(
      (doc) => {
        doc.zones.eu = ['eu-west-1', 'us-east-1'];
      },
      { stage: localStage() },
    );
    expect(issues).toEqual([{ path: 'zones.eu[1]', message: "us-east-1 is outside the stage's zone eu (eu-west-1)" }]);
  });

  it("accepts a catalog zone that narrows the stage's zone", () => {
    const catalog = compileVariant(
      (doc) => {
        doc.zones.global = ['eu-west-1'];
      },
      { stage: localStage() },
    );
    expect(catalog.zones.get('global')).toEqual(['eu-west-1']);
  });

  it("refuses a source the stage's publishers bind to no tenant, pointing at the stage file", () => {
    const issues = issuesOf(
      (doc) => {
        tenant(doc, 'orders').sources.push({ source: 'com.x', residency: 'global' });
      },
      { stage: localStage() },
    );
    expect(issues).toEqual([
      {
        path: 'tenants.orders.sources[1].source',
        message: "com.x is not bound to tenant orders in this stage's publishers; add it to stages/local.yml",
      },
    ]);
  });

  it('refuses a source the stage binds to another tenant', () => {
    const issues = issuesOf(
      (doc) => {
        tenant(doc, 'payments').sources.push({ source: 'com.switchyard.eu.customers.audit', residency: 'eu' });
      },
      {
        stage: localStage({
          bindings: { ...SAMPLE_BINDINGS, orders: ['com.switchyard.orders', 'com.switchyard.eu.customers.audit'] },
        }),
      },
    );
    expect(issues).toEqual([
      {
        path: 'tenants.payments.sources[1].source',
        message:
          "com.switchyard.eu.customers.audit is not bound to tenant payments in this stage's publishers; add it to stages/local.yml",
      },
    ]);
  });

  it('says stages/<stage>.yml when the stage is not named', () => {
    const { name: _name, ...unnamed } = localStage({ bindings: { orders: ['com.switchyard.orders'] } });
    const issues = issuesOf(() => {}, { stage: unnamed });
    expect(issues.map((i) => i.message)).toContain(
      "com.switchyard.payments is not bound to tenant payments in this stage's publishers; add it to stages/<stage>.yml",
    );
  });

  it('does not check bindings when the stage gives none', () => {
    const catalog = compileVariant(
      (doc) => {
        tenant(doc, 'orders').sources.push({ source: 'com.x', residency: 'global' });
      },
      { stage: localStage({ bindings: undefined }) },
    );
    expect(catalog.sources.get('com.x')?.tenant).toBe('orders');
  });
});

describe('compileCatalog: tenant retention', () => {
  it("compiles a tenant's retention, and leaves it out where none is set", () => {
    const catalog = compileVariant((doc) => {
      tenant(doc, 'payments').retentionDays = 30;
    });
    expect(catalog.tenants.get('payments')).toEqual({ name: 'payments', retentionDays: 30 });
    expect(catalog.tenants.get('orders')).toEqual({ name: 'orders' });
  });

  it.each([0, 1.5, -3])('refuses a retention of %d days', (days) => {
    const issues = issuesOf((doc) => {
      tenant(doc, 'payments').retentionDays = days;
    });
    expect(issues.map((i) => i.path)).toEqual(['tenants.payments.retentionDays']);
  });

  it("refuses a tenant retention longer than the stage's retention for its sources' zone", () => {
    // Prepare
    const stage = localStage({ retention: { defaultDays: 14, zoneDays: { transatlantic: 10 } } });

    // Act
    const issues = issuesOf(
      (doc) => {
        tenant(doc, 'payments').retentionDays = 11;
        tenant(doc, 'orders').retentionDays = 14;
      },
      { stage },
    );

    // Assess
    expect(issues).toEqual([
      {
        path: 'tenants.payments.retentionDays',
        message: "11 days is longer than the stage's retention of 10 days for zone transatlantic",
      },
    ]);
  });

  it('compares against the tightest zone among the tenant sources', () => {
    const stage = localStage({ retention: { defaultDays: 14, zoneDays: { eu: 5 } } });
    const issues = issuesOf(
      (doc) => {
        tenant(doc, 'orders').sources.push({ source: 'com.switchyard.orders.eu', residency: 'eu' });
        tenant(doc, 'orders').retentionDays = 6;
      },
      { stage: { ...stage, bindings: undefined } },
    );
    expect(issues).toEqual([
      {
        path: 'tenants.orders.retentionDays',
        message: "6 days is longer than the stage's retention of 5 days for zone eu",
      },
    ]);
  });
});

describe('retentionDaysOf', () => {
  const stageRetention = { defaultDays: 14, zoneDays: { eu: 7 } };

  it("takes the tenant's retention first, then the zone's, then the stage default", () => {
    // Prepare
    const catalog = compileVariant((doc) => {
      tenant(doc, 'orders').retentionDays = 3;
    });

    // Act
    const orders = retentionDaysOf(catalog, 'com.switchyard.orders', stageRetention);
    const euCustomers = retentionDaysOf(catalog, 'com.switchyard.eu.customers', stageRetention);
    const payments = retentionDaysOf(catalog, 'com.switchyard.payments', stageRetention);

    // Assess
    expect([orders, euCustomers, payments]).toEqual([3, 7, 14]);
  });

  it('gives an undeclared source the stage default', () => {
    const catalog = compileVariant(() => {});
    expect(retentionDaysOf(catalog, 'com.unknown', stageRetention)).toBe(14);
  });

  it('does not read a zone retention off Object.prototype', () => {
    const catalog = compileVariant((doc) => {
      Object.assign(doc.zones, { constructor: ['eu-west-1'] });
      firstSource(doc, 'eu-customers').residency = 'constructor';
    });
    expect(retentionDaysOf(catalog, 'com.switchyard.eu.customers', stageRetention)).toBe(14);
  });
});
