import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/domain/canonical-json';
import { projectDetail, UNHASHABLE_REDACTION, type KeyPath } from '../../../shared/domain/catalog';

// Few names, so generated paths often hit generated fields; the hostile ones included.
const segment = fc.constantFrom('a', 'b', 'id', '__proto__', 'constructor');

const { record: detailArb } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('record'),
  ),
  record: fc.dictionary(segment, tie('value'), { maxKeys: 4 }),
}));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const isPrefix = (prefix: readonly string[], path: readonly string[]) =>
  prefix.length <= path.length && prefix.every((s, i) => s === path[i]);

/** Every path to a field of a value, descending records only (arrays are values, like projectDetail sees them). */
const fieldPaths = (value: unknown, at: string[] = ['detail']): string[][] =>
  isRecord(value) ? Object.keys(value).flatMap((key) => [[...at, key], ...fieldPaths(value[key], [...at, key])]) : [];

// Overlapping paths included: projectDetail must stay safe on projections the compiler would refuse.
const randomPathsArb = fc.uniqueArray(
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((rest): KeyPath => ['detail', ...rest]),
  { minLength: 1, maxLength: 4, selector: (path) => path.join('.') },
);

/** A detail and paths, most of them naming fields the detail has, so deep paths are exercised, not just absent ones. */
const detailAndPaths = detailArb.chain((detail) => {
  const present = fieldPaths(detail);
  const existing = present.length > 0 ? fc.subarray(present, { minLength: 1 }) : fc.constant([]);
  return fc.tuple(
    fc.constant(detail),
    fc.tuple(existing, randomPathsArb).map(([some, random]) => {
      const byText = new Map([...some, ...random].map((p) => [p.join('.'), p as KeyPath]));
      return [...byText.values()];
    }),
  );
});

const readOwn = (root: unknown, path: KeyPath): { value: unknown } | undefined => {
  let found: { value: unknown } | undefined = { value: root };
  for (const s of path.slice(1))
    found = isRecord(found?.value) && Object.hasOwn(found.value, s) ? { value: found.value[s] } : undefined;
  return found;
};

const isDigest = (value: unknown) =>
  typeof value === 'string' && (/^sha256:[0-9a-f]{64}$/.test(value) || value === UNHASHABLE_REDACTION);

describe('projectDetail (properties)', () => {
  it('sends no field outside the allow-list, and each allowed field as it was', () => {
    fc.assert(
      fc.property(detailAndPaths, ([detail, paths]) => {
        // Act
        const projected = projectDetail(detail, { kind: 'fields', paths });

        // Assess: each field is on the way to an allowed path, or inside one.
        for (const field of fieldPaths(projected)) {
          expect(paths.some((allowed) => isPrefix(field, allowed) || isPrefix(allowed, field))).toBe(true);
        }
        const outermost = paths.filter((p) => !paths.some((q) => q !== p && isPrefix(q, p)));
        for (const allowed of outermost) expect(readOwn(projected, allowed)).toEqual(readOwn(detail, allowed));
      }),
    );
  });

  it('never sends a redacted value: a digest stands at the path or above it', () => {
    fc.assert(
      fc.property(detailAndPaths, ([detail, paths]) => {
        // Act
        const projected = projectDetail(detail, { kind: 'redact', paths });

        // Assess
        for (const path of paths) {
          if (!readOwn(detail, path)) continue;
          const digestAbove = path.some((_, i) => i > 0 && isDigest(readOwn(projected, path.slice(0, i + 1))?.value));
          expect(digestAbove).toBe(true);
        }
      }),
    );
  });

  it('keeps every field off the redact paths as it was', () => {
    fc.assert(
      fc.property(detailAndPaths, ([detail, paths]) => {
        const projected = projectDetail(detail, { kind: 'redact', paths });
        for (const field of fieldPaths(detail)) {
          if (paths.some((p) => isPrefix(p, field) || isPrefix(field, p))) continue;
          expect(readOwn(projected, field)).toEqual(readOwn(detail, field));
        }
      }),
    );
  });

  it('leaves its input unchanged', () => {
    fc.assert(
      fc.property(detailAndPaths, fc.constantFrom('fields', 'redact'), ([detail, paths], kind) => {
        // Prepare
        const before = canonicalJson(detail);
        const prototype: unknown = Object.getPrototypeOf(detail);

        // Act
        projectDetail(detail, { kind, paths });

        // Assess
        expect(canonicalJson(detail)).toBe(before);
        expect(Object.getPrototypeOf(detail)).toBe(prototype);
      }),
    );
  });
});
