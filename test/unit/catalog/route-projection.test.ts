import { describe, expect, it } from 'vitest';
import { projectionOf } from '../../../shared/domain/catalog';
import { compileVariant, issuesOf, route } from './catalog-fixtures';

const DETAIL_HELP = 'fields and redact take detail.<field>(.<field>)*, such as detail.orderId';

describe('compileCatalog: route projections', () => {
  it('compiles fields and redact into projections of detail paths', () => {
    // Act
    const catalog = compileVariant((doc) => {
      route(doc, 1).fields = ['detail.orderId', 'detail.total'];
      route(doc, 2).redact = ['detail.card.number'];
    });

    // Assess
    expect(catalog.routes[1]?.projection).toEqual({
      kind: 'fields',
      paths: [
        ['detail', 'orderId'],
        ['detail', 'total'],
      ],
    });
    expect(catalog.routes[2]?.projection).toEqual({ kind: 'redact', paths: [['detail', 'card', 'number']] });
    expect(catalog.routes[0]).not.toHaveProperty('projection');
  });

  it('refuses a route declaring both fields and redact', () => {
    const issues = issuesOf((doc) => {
      route(doc, 1).fields = ['detail.orderId'];
      route(doc, 1).redact = ['detail.email'];
    });
    expect(issues).toEqual([{ path: 'routes[1].redact', message: 'a route takes fields or redact, not both' }]);
  });

  it.each(['orderId', 'detail', 'source', 'id', 'detail..x'])('refuses the projection path %j', (path) => {
    const issues = issuesOf((doc) => {
      route(doc, 1).fields = ['detail.orderId', path];
    });
    expect(issues).toEqual([{ path: 'routes[1].fields[1]', message: `${path} is not a detail path: ${DETAIL_HELP}` }]);
  });

  it('refuses a redact path listed twice, and one inside another listed path', () => {
    const issues = issuesOf((doc) => {
      route(doc, 2).redact = ['detail.card', 'detail.card', 'detail.card.number'];
    });
    expect(issues).toEqual([
      { path: 'routes[2].redact[1]', message: 'detail.card is listed twice' },
      {
        path: 'routes[2].redact[2]',
        message:
          'detail.card.number overlaps detail.card, listed before it: a list may not hold both a path and a path inside it',
      },
    ]);
  });

  it('refuses an empty allow-list', () => {
    const issues = issuesOf((doc) => {
      route(doc, 1).fields = [];
    });
    expect(issues).toEqual([{ path: 'routes[1].fields', message: 'must name at least one path' }]);
  });
});

describe('compileCatalog: one projection per target', () => {
  it('refuses a route projecting a target that another route delivers whole, naming both routes', () => {
    const issues = issuesOf((doc) => {
      route(doc, 3).redact = ['detail.email'];
    });
    expect(issues).toEqual([
      {
        path: 'routes[3].redact',
        message:
          'routes[3] (eu-customers-local) gives target fulfilment redact [detail.email], but routes[0] ' +
          '(orders-to-fulfilment) gives it the whole detail; routes to one target must declare the same fields or redact',
      },
    ]);
  });

  it('refuses a route delivering whole a target that an earlier route projects', () => {
    const issues = issuesOf((doc) => {
      route(doc, 0).fields = ['detail.orderId'];
    });
    expect(issues).toEqual([
      {
        path: 'routes[3]',
        message:
          'routes[3] (eu-customers-local) gives target fulfilment the whole detail, but routes[0] ' +
          '(orders-to-fulfilment) gives it fields [detail.orderId]; routes to one target must declare the same fields or redact',
      },
    ]);
  });

  it('refuses two routes to one target with different kinds of projection over the same paths', () => {
    const issues = issuesOf((doc) => {
      route(doc, 0).fields = ['detail.id'];
      route(doc, 3).redact = ['detail.id'];
    });
    expect(issues.map((i) => i.path)).toEqual(['routes[3].redact']);
  });

  it('accepts routes to one target that list the same paths in another order', () => {
    // Act
    const catalog = compileVariant((doc) => {
      route(doc, 0).fields = ['detail.orderId', 'detail.customerId'];
      route(doc, 3).fields = ['detail.customerId', 'detail.orderId'];
    });

    // Assess
    expect(projectionOf(catalog, 'fulfilment')?.kind).toBe('fields');
    expect(catalog.routes[3]?.projection?.paths).toEqual([
      ['detail', 'customerId'],
      ['detail', 'orderId'],
    ]);
  });

  it('checks every target of a route with several', () => {
    const issues = issuesOf((doc) => {
      route(doc, 1).targets = ['analytics', 'fulfilment'];
      route(doc, 1).regions = ['us-east-1'];
      route(doc, 1).fields = ['detail.total'];
    });
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'routes[1].fields',
        message: expect.stringContaining('target fulfilment fields [detail.total], but routes[0]'),
      }),
    ]);
  });
});

describe('projectionOf', () => {
  it('gives the projection of the routes to a target, and none for a target delivered whole or unknown', () => {
    // Prepare
    const catalog = compileVariant((doc) => {
      route(doc, 2).redact = ['detail.card.number'];
    });

    // Act
    const ledger = projectionOf(catalog, 'ledger-sync');
    const fulfilment = projectionOf(catalog, 'fulfilment');
    const unknown = projectionOf(catalog, 'warehouse');

    // Assess
    expect(ledger).toEqual({ kind: 'redact', paths: [['detail', 'card', 'number']] });
    expect(fulfilment).toBeUndefined();
    expect(unknown).toBeUndefined();
  });
});
