import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipUtf8, measureJson, safeStringify, TRUNCATION_MARK } from '../../../shared/domain/json-shape';

const NO_LIMITS = { maxDepth: Number.POSITIVE_INFINITY, maxBytes: Number.POSITIVE_INFINITY };
const DEEP = 100_000;

const nestedObjects = (levels: number): unknown => {
  let value: unknown = 'bottom';
  for (let level = 0; level < levels; level += 1) value = { a: value };
  return value;
};

const nestedArrays = (levels: number): unknown => {
  let value: unknown = [];
  for (let level = 1; level < levels; level += 1) value = [value];
  return value;
};

// A recursive reference definition, safe here because fast-check values stay shallow.
const referenceDepth = (value: unknown): number => {
  if (value === null || typeof value !== 'object') return 0;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(referenceDepth));
};

const selfContaining = (): unknown => {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return value;
};

const anyJson = fc.jsonValue({ stringUnit: 'binary', maxDepth: 8 });

describe('measureJson', () => {
  it('counts the UTF-8 bytes of JSON.stringify and the nesting depth of any JSON value', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const measure = measureJson(value, NO_LIMITS);

        expect(measure).toEqual({
          ok: true,
          depth: referenceDepth(value),
          bytes: Buffer.byteLength(JSON.stringify(value)),
        });
      }),
    );
  });

  it('counts what JSON.stringify writes for values outside JSON: dropped members, null elements, toJSON', () => {
    const value = { kept: 1, gone: undefined, fn: () => 1, list: [undefined, () => 1, Symbol('s')], at: new Date(0) };

    const measure = measureJson(value, NO_LIMITS);

    expect(measure).toEqual({ ok: true, depth: 2, bytes: Buffer.byteLength(JSON.stringify(value)) });
  });

  it('counts escapes, astral characters and lone surrogates as JSON.stringify writes them', () => {
    const value = ['"\\\n\u0001', 'é€𝄞', '\ud800', 'a\udc00b'];

    const measure = measureJson(value, NO_LIMITS);

    expect(measure).toMatchObject({ ok: true, bytes: Buffer.byteLength(JSON.stringify(value)) });
  });

  it(`measures ${DEEP.toLocaleString('en')} levels of objects and of arrays without throwing`, () => {
    const objects = measureJson(nestedObjects(DEEP), NO_LIMITS);
    const arrays = measureJson(nestedArrays(DEEP), NO_LIMITS);

    expect(objects).toMatchObject({ ok: true, depth: DEEP });
    expect(arrays).toEqual({ ok: true, depth: DEEP, bytes: 2 * DEEP });
  });

  it('refuses a value nested deeper than maxDepth', () => {
    const measure = measureJson(nestedArrays(DEEP), { maxDepth: 100, maxBytes: Number.POSITIVE_INFINITY });

    expect(measure).toMatchObject({ ok: false, reason: 'too-deep' });
  });

  it('accepts a value exactly maxDepth deep and exactly maxBytes long', () => {
    const measure = measureJson([[1]], { maxDepth: 2, maxBytes: 5 });

    expect(measure).toEqual({ ok: true, depth: 2, bytes: 5 });
  });

  it('refuses a value whose JSON text is longer than maxBytes, counting bytes rather than characters', () => {
    const measure = measureJson({ text: 'é'.repeat(10) }, { maxDepth: 10, maxBytes: 25 });

    expect(measure).toMatchObject({ ok: false, reason: 'oversized' });
  });

  it('stops at the limit instead of walking the rest of a huge value', () => {
    const huge: unknown[] = new Array(1_000_000).fill({ text: 'x'.repeat(100) });
    const started = performance.now();

    const measure = measureJson(huge, { maxDepth: 10, maxBytes: 1_000 });

    expect(measure).toMatchObject({ ok: false, reason: 'oversized' });
    expect(performance.now() - started).toBeLessThan(250);
  });

  it.each([
    ['an object that contains itself', selfContaining],
    ['a BigInt', (): unknown => 10n],
    ['a lone undefined', (): unknown => undefined],
    ['a lone function', (): unknown => () => 1],
    [
      'a toJSON that throws',
      (): unknown => ({
        toJSON: () => {
          throw new Error('no');
        },
      }),
    ],
  ])('says %s is not JSON', (_, build) => {
    const value = build();

    const measure = measureJson(value, NO_LIMITS);

    expect(measure).toMatchObject({ ok: false, reason: 'not-json' });
  });

  it('measures an object shared by two parents twice, as JSON.stringify writes it, rather than calling it circular', () => {
    const shared = { x: 1 };
    const value = { left: shared, right: shared };

    const measure = measureJson(value, NO_LIMITS);

    expect(measure).toEqual({ ok: true, depth: 2, bytes: Buffer.byteLength(JSON.stringify(value)) });
  });
});

describe('safeStringify', () => {
  const roomy = { maxDepth: 64, maxChars: Number.POSITIVE_INFINITY };

  it('writes exactly what JSON.stringify writes for any JSON value within the limits', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        expect(safeStringify(value, roomy)).toBe(JSON.stringify(value));
      }),
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true }), (value) => {
        expect(typeof safeStringify(value, { maxDepth: 3, maxChars: 200 })).toBe('string');
      }),
    );
  });

  it(`replaces levels past maxDepth with a marker, so ${DEEP.toLocaleString('en')} levels give valid JSON`, () => {
    const text = safeStringify(nestedObjects(DEEP), { maxDepth: 3, maxChars: Number.POSITIVE_INFINITY });

    expect(JSON.parse(text)).toEqual({ a: { a: { a: '[depth limit]' } } });
  });

  it('marks a cycle instead of following it', () => {
    const value = selfContaining();

    const text = safeStringify(value, roomy);

    expect(JSON.parse(text)).toEqual({ a: 1, self: '[circular]' });
  });

  it('writes a BigInt as its digits and drops or nulls functions and undefined as JSON.stringify does', () => {
    const value = { big: 12345678901234567890n, fn: () => 1, gone: undefined, list: [undefined, () => 1] };

    const text = safeStringify(value, roomy);

    expect(JSON.parse(text)).toEqual({ big: '12345678901234567890n', list: [null, null] });
  });

  it('marks a member whose getter or toJSON throws and keeps the rest', () => {
    const value = {
      before: 1,
      get broken(): never {
        throw new Error('getter failed');
      },
      after: {
        toJSON: (): never => {
          throw new Error('toJSON failed');
        },
      },
    };

    const text = safeStringify(value, roomy);

    expect(JSON.parse(text)).toEqual({ before: 1, broken: '[unserializable]', after: '[unserializable]' });
  });

  it('cuts the text at maxChars and says so', () => {
    const text = safeStringify(
      { list: Array.from({ length: 10_000 }, (_, index) => index) },
      { maxDepth: 5, maxChars: 50 },
    );

    expect(text).toHaveLength(50 + TRUNCATION_MARK.length);
    expect(text.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(text.startsWith('{"list":[0,1,2,')).toBe(true);
  });
});

describe('clipUtf8', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

  it('leaves text within the limit untouched', () => {
    expect(clipUtf8('€uro', 6)).toBe('€uro');
  });

  it('cuts text over the limit to at most that many UTF-8 bytes, mark included', () => {
    // Act
    const clipped = clipUtf8('€'.repeat(1_000), 100);

    // Assess
    expect(bytes(clipped)).toBeLessThanOrEqual(100);
    expect(clipped.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(clipped).toBe('€'.repeat(Math.floor((100 - bytes(TRUNCATION_MARK)) / 3)) + TRUNCATION_MARK);
  });

  it('never cuts a character in half, and keeps a prefix of the text within the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.integer({ min: 20, max: 80 }), (text, limit) => {
        // Act
        const clipped = clipUtf8(text, limit);

        // Assess
        if (bytes(text) <= limit) {
          expect(clipped).toBe(text);
        } else {
          const kept = clipped.slice(0, -TRUNCATION_MARK.length);
          expect(clipped.endsWith(TRUNCATION_MARK)).toBe(true);
          expect(text.startsWith(kept)).toBe(true);
          expect(Buffer.from(kept, 'utf8').toString('utf8')).toBe(kept);
          expect(bytes(clipped)).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });
});
