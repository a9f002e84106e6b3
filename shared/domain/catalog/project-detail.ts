import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import type { Catalog, KeyPath, Projection } from './catalog';

type JsonRecord = Record<string, unknown>;

/** What a redacted value becomes when it cannot be serialized (too deep, cyclic, a getter): never the value itself. */
export const UNHASHABLE_REDACTION = 'redacted:unhashable';

const isRecord = (value: unknown): value is JsonRecord =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// Own enumerable data properties only: no getter runs, and `__proto__` or `constructor` never read Object.prototype.
const ownValue = (record: JsonRecord, key: string): { value: unknown } | undefined => {
  const descriptor = Object.getOwnPropertyDescriptor(record, key);
  return descriptor && descriptor.enumerable && 'value' in descriptor ? { value: descriptor.value } : undefined;
};

// defineProperty, not assignment: assigning `__proto__` would change the prototype instead of adding a field.
const define = (record: JsonRecord, key: string, value: unknown): void => {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
};

const copyRecord = (record: JsonRecord): JsonRecord => {
  const copy: JsonRecord = {};
  for (const key of Object.keys(record)) {
    const descriptor = Object.getOwnPropertyDescriptor(record, key);
    if (descriptor && 'value' in descriptor) define(copy, key, descriptor.value);
    else if (descriptor) Object.defineProperty(copy, key, { ...descriptor, configurable: true });
  }
  return copy;
};

const readOwnPath = (root: unknown, segments: KeyPath): { value: unknown } | undefined => {
  let found: { value: unknown } | undefined = { value: root };
  for (const segment of segments) found = isRecord(found?.value) ? ownValue(found.value, segment) : undefined;
  return found;
};

const digestOf = (value: unknown): string => {
  try {
    return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
  } catch {
    // canonicalJson recurses, so hostile nesting or a cycle overflows the stack: withhold the value, do not throw.
    return UNHASHABLE_REDACTION;
  }
};

/** Where a path's last segment goes, creating records on the way; undefined when an outer path took the subtree whole. */
const builtParent = (out: JsonRecord, segments: KeyPath, built: WeakSet<object>): JsonRecord | undefined => {
  let node = out;
  for (const segment of segments) {
    const next = ownValue(node, segment)?.value;
    // A subtree taken whole from the input already holds this path, and must not be written to.
    if (next !== undefined && !(isRecord(next) && built.has(next))) return undefined;
    const child = next ?? {};
    if (next === undefined) define(node, segment, child);
    built.add(child);
    node = child;
  }
  return node;
};

/** Copies the allowed paths into a fresh object, keeping their nesting. */
const pickFields = (detail: unknown, paths: readonly KeyPath[]): JsonRecord => {
  const out: JsonRecord = {};
  const built = new WeakSet<object>([out]);
  for (const [, ...segments] of paths) {
    const found = readOwnPath(detail, segments);
    const leaf = segments.at(-1);
    const parent = found && leaf !== undefined ? builtParent(out, segments.slice(0, -1), built) : undefined;
    if (parent && found && leaf !== undefined) define(parent, leaf, found.value);
  }
  return out;
};

/** The copy holding a path's last segment, copying each record on the way; undefined when the path is absent. */
const copiedParent = (root: JsonRecord, segments: KeyPath, copies: WeakSet<object>): JsonRecord | undefined => {
  let node = root;
  for (const segment of segments) {
    const next = ownValue(node, segment)?.value;
    if (!isRecord(next)) return undefined;
    if (copies.has(next)) node = next;
    else {
      const copy = copyRecord(next);
      copies.add(copy);
      define(node, segment, copy);
      node = copy;
    }
  }
  return node;
};

/** Replaces each present path's value by its digest; only records on a path are copied, so the input is untouched. */
const redactFields = (detail: JsonRecord, paths: readonly KeyPath[]): JsonRecord => {
  const root = copyRecord(detail);
  const copies = new WeakSet<object>([root]);
  for (const [, ...segments] of paths) {
    const leaf = segments.at(-1);
    const parent = leaf !== undefined ? copiedParent(root, segments.slice(0, -1), copies) : undefined;
    const found = parent && leaf !== undefined ? Object.getOwnPropertyDescriptor(parent, leaf) : undefined;
    // A getter is replaced unread: running it could throw, and keeping it would send the value unredacted.
    if (parent && found?.enumerable && leaf !== undefined)
      define(parent, leaf, 'value' in found ? digestOf(found.value) : UNHASHABLE_REDACTION);
  }
  return root;
};

/**
 * The detail a target receives under a projection: only the `fields` paths (absent ones left out), or the
 * detail with each `redact` path's value replaced by `sha256:<hex of its canonical JSON>`. Paths do not
 * descend into arrays. Never mutates `detail`; the result may share unchanged subtrees with it.
 */
export const projectDetail = (detail: unknown, projection: Projection | undefined): unknown => {
  if (!projection) return detail;
  if (projection.kind === 'fields') return pickFields(detail, projection.paths);
  return isRecord(detail) ? redactFields(detail, projection.paths) : detail;
};

/** The projection every route to `target` declares (the catalog refuses routes that disagree). */
export const projectionOf = (catalog: Catalog, target: string): Projection | undefined =>
  catalog.routes.find((route) => route.targets.includes(target))?.projection;
