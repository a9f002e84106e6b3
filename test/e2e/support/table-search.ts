import type { RouterHarness } from '../../../local/harness/router-harness';

/** One item, in one table of one region, whose attribute values contain a searched string. */
export interface Finding {
  region: string;
  table: string;
  /** The item's key attributes, to say which item it is. */
  key: string;
  needle: string;
}

const KEY_ATTRIBUTES = ['id', 'sk', 'pk'];

/** Every attribute value as text: strings as they are stored, sets and binaries included, so no value hides. */
const serialize = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Set) return [...(v as Set<unknown>)];
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    return v;
  });

/** Each string nested in an item, unescaped: JSON escaping must not hide a needle holding quotes or backslashes. */
const stringsOf = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'bigint') return [String(value)];
  if (value instanceof Set) return [...(value as Set<unknown>)].flatMap(stringsOf);
  if (value instanceof Uint8Array) return [Buffer.from(value).toString('utf8')];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
};

/**
 * Scans every table that exists in each region (straight from the engine) and reports every item
 * holding one of the needles anywhere in its attribute values: what a residency or erase audit does.
 */
export const findInTables = async (
  harness: RouterHarness,
  regions: readonly string[],
  needles: readonly string[],
): Promise<Finding[]> => {
  const findings: Finding[] = [];
  for (const region of regions) {
    for (const [table, items] of await harness.scanRegion(region)) {
      for (const item of items) {
        const text = [serialize(item), ...stringsOf(item)].join('\n');
        const key = serialize(Object.fromEntries(KEY_ATTRIBUTES.filter((k) => k in item).map((k) => [k, item[k]])));
        for (const needle of needles) if (text.includes(needle)) findings.push({ region, table, key, needle });
      }
    }
  }
  return findings;
};
