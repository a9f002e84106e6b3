import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  encodeKey,
  keyDigest,
  keyShard,
  readKeyComponents,
  type KeyComponent,
} from '../../../shared/domain/ingest/key-encoding';
import { buildIngressEvent } from '../../helpers/factories';

const SOURCE = 'com.switchyard.orders';
const CUSTOMER = [['detail', 'customerId']] as const;

const eventWith = (detail: unknown) => buildIngressEvent({ detail: detail as Record<string, unknown> });
const s = (value: string): KeyComponent => ({ type: 's', value });
const n = (value: number): KeyComponent => ({ type: 'n', value });
// k1["com.switchyard.orders","s:"]: the bytes an encoding of one string component adds around its value
const BYTES_AROUND_VALUE = 32;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('readKeyComponents', () => {
  it('reads a non-empty string as a string component', () => {
    const result = readKeyComponents(eventWith({ customerId: 'c-7' }), CUSTOMER);
    expect(result).toEqual({ ok: true, components: [s('c-7')] });
  });

  it('reads a safe integer as a number component', () => {
    const result = readKeyComponents(eventWith({ customerId: 1042 }), CUSTOMER);
    expect(result).toEqual({ ok: true, components: [n(1042)] });
  });

  it('reads the EventBridge event id as an event-id component', () => {
    const result = readKeyComponents(buildIngressEvent({ id: 'evt-1' }), [['id']]);
    expect(result).toEqual({ ok: true, components: [{ type: 'e', value: 'evt-1' }] });
  });

  it('falls back to the event id when the source names no key path', () => {
    const result = readKeyComponents(buildIngressEvent({ id: 'evt-2' }), []);
    expect(result).toEqual({ ok: true, components: [{ type: 'e', value: 'evt-2' }] });
  });

  it('reads several paths in order, following nested objects', () => {
    // Prepare
    const event = eventWith({ customer: { id: 'c-1' }, version: 3 });

    // Act
    const result = readKeyComponents(event, [['detail', 'customer', 'id'], ['detail', 'version'], ['id']]);

    // Assess
    expect(result).toEqual({ ok: true, components: [s('c-1'), n(3), { type: 'e', value: event.id }] });
  });

  it('keeps a whitespace-only string as its own key rather than refusing it', () => {
    const result = readKeyComponents(eventWith({ customerId: '  ' }), CUSTOMER);
    expect(result).toEqual({ ok: true, components: [s('  ')] });
  });

  it.each([
    ['missing', {}],
    ['an empty string', { customerId: '' }],
    ['an object', { customerId: { id: 1 } }],
    ['an array', { customerId: ['c-1'] }],
    ['a boolean', { customerId: true }],
    ['null', { customerId: null }],
  ])('refuses a key that is %s as missing-key, naming the path', (_name, detail) => {
    const result = readKeyComponents(eventWith(detail), CUSTOMER);
    expect(result).toEqual({
      ok: false,
      reason: 'missing-key',
      message: 'idempotency key detail.customerId is missing or not a non-empty string or safe integer',
    });
  });

  it.each([
    ['beyond 2^53', Number('12345678901234567891')],
    ['a fraction', 1.5],
    ['not finite', Number.POSITIVE_INFINITY],
  ])('quarantines a number that is %s as unsafe-number-key, asking for strings', (_name, value) => {
    // Act
    const result = readKeyComponents(eventWith({ customerId: value }), CUSTOMER);

    // Assess
    expect(result).toMatchObject({ ok: false, reason: 'unsafe-number-key' });
    expect(result.ok === false && result.message).toMatch(
      /detail\.customerId .*send large or fractional ids as strings/,
    );
  });

  it('reports the first unusable path when several are configured', () => {
    const result = readKeyComponents(eventWith({ customerId: 'c-1' }), [...CUSTOMER, ['detail', 'version']]);
    expect(result).toMatchObject({
      ok: false,
      reason: 'missing-key',
      message: expect.stringContaining('detail.version'),
    });
  });

  it('refuses an empty event id', () => {
    const result = readKeyComponents(buildIngressEvent({ id: '' }), [['id']]);
    expect(result).toMatchObject({
      ok: false,
      reason: 'missing-key',
      message: 'idempotency key id is missing or empty',
    });
  });

  it('refuses a path outside id and detail', () => {
    const result = readKeyComponents(buildIngressEvent(), [['source']]);
    expect(result).toMatchObject({ ok: false, reason: 'missing-key', message: expect.stringContaining('source') });
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'does not read the inherited %s property as a key',
    (name) => {
      const result = readKeyComponents(eventWith({}), [['detail', name]]);
      expect(result).toMatchObject({ ok: false, reason: 'missing-key' });
    },
  );

  it('does not read a key inherited from a prototype the producer controls', () => {
    const result = readKeyComponents(eventWith(Object.create({ customerId: 'inherited' })), CUSTOMER);
    expect(result).toMatchObject({ ok: false, reason: 'missing-key' });
  });

  it('reads an own "__proto__" key, as JSON.parse creates it', () => {
    // Prepare
    const detail: unknown = JSON.parse('{"__proto__": "p-1"}');

    // Act
    const result = readKeyComponents(eventWith(detail), [['detail', '__proto__']]);

    // Assess
    expect(result).toEqual({ ok: true, components: [s('p-1')] });
  });

  it('does not index into arrays', () => {
    const result = readKeyComponents(eventWith({ items: ['i-1'] }), [['detail', 'items', '0']]);
    expect(result).toMatchObject({ ok: false, reason: 'missing-key' });
  });
});

describe('encodeKey', () => {
  it('encodes the source and typed components as a k1 JSON array', () => {
    const key = encodeKey(SOURCE, [s('c-7'), n(3), { type: 'e', value: 'evt-1' }]);
    expect(key).toEqual({ id: 'k1["com.switchyard.orders","s:c-7","n:3","e:evt-1"]' });
  });

  it('keeps the number 1 and the string "1" apart', () => {
    expect(encodeKey(SOURCE, [n(1)]).id).not.toBe(encodeKey(SOURCE, [s('1')]).id);
  });

  it('keeps a # in the source from sharing a key with a # in the value (com.a + x#1 vs com.a#x + 1)', () => {
    expect(encodeKey('com.a', [s('x#1')]).id).not.toBe(encodeKey('com.a#x', [s('1')]).id);
  });

  it('gives 1.0 and 1 the same key: JSON parses both to the same JS number', () => {
    const fromFloatText = readKeyComponents(eventWith(JSON.parse('{"customerId": 1.0}')), CUSTOMER);
    const fromIntegerText = readKeyComponents(eventWith(JSON.parse('{"customerId": 1}')), CUSTOMER);
    expect(fromFloatText.ok && encodeKey(SOURCE, fromFloatText.components)).toEqual(
      fromIntegerText.ok && encodeKey(SOURCE, fromIntegerText.components),
    );
  });

  it('quarantines 12345678901234567891 rather than colliding with 12345678901234567890', () => {
    // Prepare: both literals round to the same double, which is why neither can be trusted
    const larger = JSON.parse('{"customerId": 12345678901234567891}');
    const smaller = JSON.parse('{"customerId": 12345678901234567890}');

    // Act
    const results = [larger, smaller].map((detail) => readKeyComponents(eventWith(detail), CUSTOMER));

    // Assess
    expect(larger.customerId).toBe(smaller.customerId);
    expect(results.map((result) => result.ok || result.reason)).toEqual(['unsafe-number-key', 'unsafe-number-key']);
  });

  it('keeps an encoding of exactly 1,024 bytes as the id', () => {
    // Prepare
    const value = 'v'.repeat(1024 - BYTES_AROUND_VALUE);

    // Act
    const key = encodeKey(SOURCE, [s(value)]);

    // Assess
    expect(Buffer.byteLength(key.id, 'utf8')).toBe(1024);
    expect(key.keyText).toBeUndefined();
  });

  it('hashes an encoding over 1,024 bytes and keeps the full text in keyText', () => {
    // Prepare
    const value = 'v'.repeat(1024 - BYTES_AROUND_VALUE + 1);

    // Act
    const key = encodeKey(SOURCE, [s(value)]);

    // Assess
    expect(key.keyText).toBe(`k1["${SOURCE}","s:${value}"]`);
    expect(key.id).toBe(`h1:${sha256(`k1["${SOURCE}","s:${value}"]`)}`);
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    // Prepare: 400 three-byte characters are 1,200 bytes but only 400 UTF-16 units
    const key = encodeKey(SOURCE, [s('€'.repeat(400))]);

    // Assess
    expect(key.id.startsWith('h1:')).toBe(true);
  });
});

describe('keyDigest and keyShard', () => {
  it('digests an id as its SHA-256 hex, not the raw key', () => {
    const digest = keyDigest('k1["com.a","s:secret"]');
    expect(digest).toBe(sha256('k1["com.a","s:secret"]'));
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shards by the first byte of the SHA-256, modulo the shard count', () => {
    // Prepare
    const id = 'k1["com.a","s:x"]';
    const firstByte = parseInt(sha256(id).slice(0, 2), 16);

    // Act
    const shards = [1, 7, 16, 256].map((count) => keyShard(id, count));

    // Assess
    expect(shards).toEqual([0, firstByte % 7, firstByte % 16, firstByte]);
  });

  it('spreads many ids over every shard', () => {
    const used = new Set(Array.from({ length: 400 }, (_, i) => keyShard(`k1["com.a","n:${i}"]`, 8)));
    expect([...used].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it.each([0, -1, 1.5, 257, Number.NaN])('refuses a shard count of %s', (shards) => {
    expect(() => keyShard('k1["com.a","s:x"]', shards)).toThrow(RangeError);
  });
});
