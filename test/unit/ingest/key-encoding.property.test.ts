import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeKey,
  MAX_KEY_ENCODING_BYTES,
  readKeyComponents,
  type KeyComponent,
} from '../../../shared/domain/ingest/key-encoding';

type Key = { source: string; components: KeyComponent[] };

// Characters that broke phase 1 keys or could move a boundary in a naive encoding.
const trickyChar = fc.constantFrom(
  '#',
  '"',
  '\\',
  ':',
  ',',
  '[',
  ']',
  's',
  'n',
  '1',
  '0',
  'é',
  '€',
  '😀',
  '\u0000',
  '\n',
);
const trickyString = fc.oneof(
  fc.array(trickyChar, { maxLength: 6 }).map((chars) => chars.join('')),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.stringMatching(/^-?\d{1,20}$/),
);
const longString = fc.string({ unit: 'binary', minLength: 250, maxLength: 600 });
const value = fc.oneof({ weight: 6, arbitrary: trickyString }, { weight: 1, arbitrary: longString });
const safeInteger = fc.oneof(fc.integer({ min: -100, max: 100 }), fc.maxSafeInteger(), fc.integer());

const component: fc.Arbitrary<KeyComponent> = fc.oneof(
  value.map((v) => ({ type: 's' as const, value: v })),
  safeInteger.map((v) => ({ type: 'n' as const, value: v })),
  value.map((v) => ({ type: 'e' as const, value: v })),
);
const key: fc.Arbitrary<Key> = fc.record({ source: value, components: fc.array(component, { maxLength: 4 }) });

// Small edits that keep most of the text and so come closest to a collision.
const mutations: ReadonlyArray<(k: Key) => Key> = [
  (k) => ({ ...k, components: k.components.map((c) => retype(c)) }),
  (k) => moveBoundary(k),
  (k) => ({ source: k.source, components: [...k.components, { type: 's', value: '' }] }),
  (k) => ({ source: k.source, components: k.components.slice(0, -1) }),
  (k) => ({ source: k.source, components: joinFirstTwo(k.components) }),
  (k) => ({ ...k, components: k.components.map((c) => (c.type === 'n' ? { ...c, value: c.value + 1 } : c)) }),
];

const retype = (c: KeyComponent): KeyComponent =>
  c.type === 'n' ? { type: 's', value: String(c.value) } : { type: c.type === 's' ? 'e' : 's', value: c.value };

const moveBoundary = (k: Key): Key => {
  const [first, ...rest] = k.components;
  if (!first || first.type === 'n') return { source: `${k.source}#`, components: k.components };
  return {
    source: k.source.slice(0, -1),
    components: [{ ...first, value: k.source.slice(-1) + first.value }, ...rest],
  };
};

const joinFirstTwo = (components: KeyComponent[]): KeyComponent[] => {
  const [a, b, ...rest] = components;
  if (!a || !b) return components;
  return [{ type: 's', value: `${String(a.value)}#${String(b.value)}` }, ...rest];
};

const nearPair = fc
  .tuple(key, fc.nat({ max: mutations.length - 1 }))
  .map(([k, index]): [Key, Key] => [k, (mutations[index] ?? ((same: Key) => same))(k)]);

const sameKey = (a: Key, b: Key): boolean =>
  a.source === b.source &&
  a.components.length === b.components.length &&
  a.components.every((c, i) => c.type === b.components[i]?.type && String(c.value) === String(b.components[i]?.value));

const idOf = (k: Key): string => encodeKey(k.source, k.components).id;

describe('encodeKey properties', () => {
  it('gives different ids to different keys and the same id to the same key (random pairs)', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(idOf(a) === idOf(b)).toBe(sameKey(a, b));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives different ids to keys one small edit apart (moved boundaries, retyped or joined components)', () => {
    fc.assert(
      fc.property(nearPair, ([a, b]) => {
        expect(idOf(a) === idOf(b)).toBe(sameKey(a, b));
      }),
      { numRuns: 3_000 },
    );
  });

  it('never produces an id over 1,100 bytes; a hashed id keeps the full encoding in keyText', () => {
    fc.assert(
      fc.property(key, (k) => {
        // Act
        const encoded = encodeKey(k.source, k.components);

        // Assess
        expect(Buffer.byteLength(encoded.id, 'utf8')).toBeLessThanOrEqual(1_100);
        if (encoded.keyText === undefined) {
          expect(Buffer.byteLength(encoded.id, 'utf8')).toBeLessThanOrEqual(MAX_KEY_ENCODING_BYTES);
        } else {
          expect(Buffer.byteLength(encoded.keyText, 'utf8')).toBeGreaterThan(MAX_KEY_ENCODING_BYTES);
          expect(encoded.id).toMatch(/^h1:[0-9a-f]{64}$/);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('readKeyComponents properties', () => {
  const segment = fc.oneof(
    fc.constantFrom('detail', 'id', '__proto__', 'constructor', 'toString', 'valueOf', '0'),
    fc.string({ maxLength: 4 }),
  );

  it('never throws, whatever the detail and the paths', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.array(segment, { maxLength: 4 }), { maxLength: 3 }), (detail, paths) => {
        // Act
        const result = readKeyComponents({ id: 'evt-1', detail }, paths);

        // Assess
        if (result.ok) expect(result.components).toHaveLength(Math.max(paths.length, 1));
        else expect(result.message).toMatch(/^idempotency key /);
      }),
    );
  });

  it('reads back the string or safe integer written at a detail path', () => {
    const written = fc.oneof(
      fc.string({ minLength: 1 }).map((v) => ({ type: 's' as const, value: v })),
      fc.maxSafeInteger().map((v) => ({ type: 'n' as const, value: v })),
    );
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 3 }), written, (path, expected) => {
        // Prepare: JSON.parse, as the runtime does, so a "__proto__" segment is an own property
        const detail: unknown = JSON.parse(
          path.reduceRight<string>(
            (inner, name) => `{${JSON.stringify(name)}:${inner}}`,
            JSON.stringify(expected.value),
          ),
        );

        // Act
        const result = readKeyComponents({ id: 'evt-1', detail }, [['detail', ...path]]);

        // Assess
        expect(result).toEqual({ ok: true, components: [expected] });
      }),
    );
  });
});
