import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { projectDetail, UNHASHABLE_REDACTION, type Projection } from '../../../shared/domain/catalog';

const paths = (...dotted: string[]) => dotted.map((p) => p.split('.'));
const fields = (...dotted: string[]): Projection => ({ kind: 'fields', paths: paths(...dotted) });
const redact = (...dotted: string[]): Projection => ({ kind: 'redact', paths: paths(...dotted) });
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

const order = () => ({
  orderId: 'o-1',
  total: 42,
  customer: { id: 'c-1', email: 'ada@example.com', address: { city: 'Lyon' } },
  card: { number: '4111111111111111', expiry: '12/29' },
  items: [{ sku: 'a', email: 'x@example.com' }],
});

describe('projectDetail', () => {
  it('returns the detail itself when the target has no projection', () => {
    const detail = order();
    expect(projectDetail(detail, undefined)).toBe(detail);
  });

  it('keeps only the allowed paths, nested as they were, and leaves absent ones out', () => {
    const projected = projectDetail(
      order(),
      fields('detail.orderId', 'detail.customer.address.city', 'detail.missing.x'),
    );
    expect(projected).toEqual({ orderId: 'o-1', customer: { address: { city: 'Lyon' } } });
  });

  it('keeps a whole subtree for an outer path, whatever order the paths come in', () => {
    const inner = projectDetail(order(), fields('detail.card.number', 'detail.card'));
    const outer = projectDetail(order(), fields('detail.card', 'detail.card.number'));
    expect(inner).toEqual({ card: order().card });
    expect(outer).toEqual({ card: order().card });
  });

  it('does not descend into arrays', () => {
    expect(projectDetail(order(), fields('detail.items.0', 'detail.items.sku'))).toEqual({});
  });

  it('gives an empty detail for an allow-list over a detail that is not an object', () => {
    expect(projectDetail('text', fields('detail.orderId'))).toEqual({});
  });

  it('replaces each redacted value with the sha256 of its canonical JSON, so consumers can still join on it', () => {
    // Act
    const projected = projectDetail(order(), redact('detail.card.number', 'detail.customer', 'detail.total'));

    // Assess
    expect(projected).toEqual({
      ...order(),
      total: sha256('42'),
      card: { number: sha256('"4111111111111111"'), expiry: '12/29' },
      customer: sha256('{"address":{"city":"Lyon"},"email":"ada@example.com","id":"c-1"}'),
    });
  });

  it('gives equal digests for equal values whatever their key order', () => {
    const a = projectDetail({ who: { x: 1, y: 2 } }, redact('detail.who'));
    const b = projectDetail({ who: { y: 2, x: 1 } }, redact('detail.who'));
    expect(a).toEqual(b);
  });

  it('ignores absent redact paths and paths through a scalar', () => {
    const projected = projectDetail(order(), redact('detail.nothing', 'detail.orderId.length'));
    expect(projected).toEqual(order());
  });

  it('leaves the input untouched, even where it redacts deep inside', () => {
    // Prepare
    const detail = Object.freeze({ ...order(), card: Object.freeze({ ...order().card }) });

    // Act
    const projected = projectDetail(detail, redact('detail.card.number')) as ReturnType<typeof order>;

    // Assess
    expect(detail.card.number).toBe('4111111111111111');
    expect(projected.card.number).not.toBe(detail.card.number);
    expect(projected.customer).toBe(detail.customer);
  });

  it('treats __proto__ and constructor as ordinary own fields, never as the prototype', () => {
    // Prepare
    const detail = JSON.parse('{"__proto__":{"polluted":true,"id":"p"},"constructor":"c","keep":1}') as object;

    // Act
    const picked = projectDetail(detail, fields('detail.__proto__.id', 'detail.constructor')) as object;
    const redacted = projectDetail(detail, redact('detail.__proto__')) as object;
    const inherited = projectDetail({}, fields('detail.constructor', 'detail.toString'));

    // Assess
    expect(Object.getPrototypeOf(picked)).toBe(Object.prototype);
    expect(JSON.stringify(picked)).toBe('{"__proto__":{"id":"p"},"constructor":"c"}');
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(JSON.stringify(redacted)).toBe(
      `{"__proto__":"${sha256('{"id":"p","polluted":true}')}","constructor":"c","keep":1}`,
    );
    expect(inherited).toEqual({});
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('does not throw on a value nested too deep to serialize, and never sends it', () => {
    // Prepare
    let deep: unknown = 'secret';
    for (let i = 0; i < 200_000; i += 1) deep = { d: deep };
    const detail = { deep, id: 'x' };

    // Act
    const redacted = projectDetail(detail, redact('detail.deep'));
    const picked = projectDetail(detail, fields('detail.deep.d.d', 'detail.id'));

    // Assess
    expect(redacted).toEqual({ deep: UNHASHABLE_REDACTION, id: 'x' });
    expect((picked as { id: string }).id).toBe('x');
  });

  it('does not throw on a cyclic value', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(projectDetail({ cyclic }, redact('detail.cyclic'))).toEqual({ cyclic: UNHASHABLE_REDACTION });
  });

  it('never runs a getter on the detail, and redacts one unread', () => {
    // Prepare
    const detail = { plain: 1 };
    Object.defineProperty(detail, 'trap', {
      enumerable: true,
      get: () => {
        throw new Error('getter ran');
      },
    });

    // Act
    const act = () => [
      projectDetail(detail, fields('detail.trap', 'detail.plain')),
      projectDetail(detail, redact('detail.trap')),
    ];

    // Assess
    expect(act).not.toThrow();
    expect(act()[0]).toEqual({ plain: 1 });
    expect(Object.getOwnPropertyDescriptor(act()[1], 'trap')?.value).toBe(UNHASHABLE_REDACTION);
  });
});
