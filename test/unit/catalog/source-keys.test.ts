import { describe, expect, it } from 'vitest';
import { compileVariant, firstSource, issuesOf, localStage, tenant } from './catalog-fixtures';

const KEY_HELP = 'use id (the EventBridge event id) or detail.<field>(.<field>)*, such as detail.orderId';

describe('compileCatalog: idempotency keys', () => {
  it('compiles a list of key paths in order, and the event id as a component', () => {
    // Act
    const catalog = compileVariant((doc) => {
      firstSource(doc, 'orders').idempotencyKey = ['detail.order.ref', 'id'];
    });

    // Assess
    expect(catalog.sources.get('com.switchyard.orders')?.keyPaths).toEqual([['detail', 'order', 'ref'], ['id']]);
  });

  it.each([
    'source',
    'resources',
    'time',
    'account',
    'detail-type',
    'detail',
    'region',
    'id.x',
    'detail..id',
    'detail. x',
  ])('refuses the key path %j, naming it and what is allowed', (keyPath) => {
    const issues = issuesOf((doc) => {
      firstSource(doc, 'orders').idempotencyKey = keyPath;
    });
    expect(issues).toEqual([
      {
        path: 'tenants.orders.sources[0].idempotencyKey',
        message: `${keyPath} is not an allowed key path: ${KEY_HELP}`,
      },
    ]);
  });

  it('shows an empty key path as "" so the message still names it', () => {
    const issues = issuesOf((doc) => {
      firstSource(doc, 'orders').idempotencyKey = '';
    });
    expect(issues).toEqual([
      { path: 'tenants.orders.sources[0].idempotencyKey', message: `"" is not an allowed key path: ${KEY_HELP}` },
    ]);
  });

  it('refuses a disallowed path inside a list at its index', () => {
    const issues = issuesOf((doc) => {
      firstSource(doc, 'eu-customers').idempotencyKey = ['detail.customerId', 'time'];
    });
    expect(issues).toEqual([
      {
        path: 'tenants.eu-customers.sources[0].idempotencyKey[1]',
        message: `time is not an allowed key path: ${KEY_HELP}`,
      },
    ]);
  });

  it('refuses a list that repeats a path, at the repeat', () => {
    const issues = issuesOf((doc) => {
      firstSource(doc, 'eu-customers').idempotencyKey = ['detail.customerId', 'detail.version', 'detail.customerId'];
    });
    expect(issues).toEqual([
      { path: 'tenants.eu-customers.sources[0].idempotencyKey[2]', message: 'detail.customerId is listed twice' },
    ]);
  });

  it('refuses a list holding a path and a path inside it, which could never both be key values', () => {
    const issues = issuesOf((doc) => {
      firstSource(doc, 'eu-customers').idempotencyKey = ['detail.customer', 'detail.customer.id'];
    });
    expect(issues).toEqual([
      {
        path: 'tenants.eu-customers.sources[0].idempotencyKey[1]',
        message:
          'detail.customer.id overlaps detail.customer, listed before it: a list may not hold both a path and a path inside it',
      },
    ]);
  });

  it('refuses an empty list rather than silently keying on the event id', () => {
    const issues = issuesOf((doc) => {
      firstSource(doc, 'orders').idempotencyKey = [];
    });
    expect(issues).toEqual([
      { path: 'tenants.orders.sources[0].idempotencyKey', message: 'must name at least one path' },
    ]);
  });

  it('refuses a key that is neither a path nor a list of paths', () => {
    const issues = issuesOf((doc) => {
      Object.assign(firstSource(doc, 'orders'), { idempotencyKey: 42 });
    });
    expect(issues).toEqual([
      {
        path: 'tenants.orders.sources[0].idempotencyKey',
        message: 'must be a key path such as detail.orderId, or a list of key paths',
      },
    ]);
  });
});

describe('compileCatalog: dedupe window', () => {
  it.each([
    ['1m', 60_000],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['90s', 90_000],
  ])('compiles %s into %d ms', (window, ms) => {
    const catalog = compileVariant((doc) => {
      firstSource(doc, 'orders').dedupeWindow = window;
    });
    expect(catalog.sources.get('com.switchyard.orders')?.dedupeWindowMs).toBe(ms);
  });

  it('leaves dedupeWindowMs out when the source declares no window', () => {
    const catalog = compileVariant(() => {});
    expect(catalog.sources.get('com.switchyard.orders')).not.toHaveProperty('dedupeWindowMs');
  });

  it('refuses a window under one minute', () => {
    const issues = issuesOf((doc) => {
      firstSource(doc, 'orders').dedupeWindow = '59s';
    });
    expect(issues).toEqual([
      { path: 'tenants.orders.sources[0].dedupeWindow', message: '59s is shorter than the 1-minute minimum' },
    ]);
  });

  it.each(['7', '7w', '1.5h', '0m', '-1d', '7 d', '1000000d'])('refuses the malformed duration %j', (window) => {
    const issues = issuesOf((doc) => {
      firstSource(doc, 'orders').dedupeWindow = window;
    });
    expect(issues).toEqual([
      {
        path: 'tenants.orders.sources[0].dedupeWindow',
        message: 'must be a duration such as 30m, 12h or 7d (a whole number and one of s, m, h, d)',
      },
    ]);
  });

  it("refuses a window longer than the tenant's retention", () => {
    const issues = issuesOf((doc) => {
      tenant(doc, 'orders').retentionDays = 3;
      firstSource(doc, 'orders').dedupeWindow = '73h';
    });
    expect(issues).toEqual([
      {
        path: 'tenants.orders.sources[0].dedupeWindow',
        message: "73h is longer than the source's retention of 3 days (tenants.orders.retentionDays)",
      },
    ]);
  });

  it("accepts a window exactly as long as the tenant's retention", () => {
    const catalog = compileVariant((doc) => {
      tenant(doc, 'orders').retentionDays = 3;
      firstSource(doc, 'orders').dedupeWindow = '72h';
    });
    expect(catalog.sources.get('com.switchyard.orders')?.dedupeWindowMs).toBe(3 * 86_400_000);
  });

  it("refuses a window longer than the stage's retention for the source's zone", () => {
    // Prepare
    const stage = localStage({ retention: { defaultDays: 14, zoneDays: { eu: 7 } } });

    // Act
    const issues = issuesOf(
      (doc) => {
        firstSource(doc, 'eu-customers').dedupeWindow = '8d';
        firstSource(doc, 'orders').dedupeWindow = '8d';
      },
      { stage },
    );

    // Assess
    expect(issues).toEqual([
      {
        path: 'tenants.eu-customers.sources[0].dedupeWindow',
        message: "8d is longer than the source's retention of 7 days (the stage's retention for zone eu)",
      },
    ]);
  });

  it('cannot check a long window against retention without a stage, so accepts it', () => {
    const catalog = compileVariant((doc) => {
      firstSource(doc, 'orders').dedupeWindow = '365d';
    });
    expect(catalog.sources.get('com.switchyard.orders')?.dedupeWindowMs).toBe(365 * 86_400_000);
  });
});
