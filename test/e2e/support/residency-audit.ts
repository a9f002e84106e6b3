import type { RouterHarness } from '../../../local/harness/router-harness';

/**
 * Every table of `regions` holding an item that mentions a key matching `keys` (payload, key, or
 * any attribute): what a residency audit of those regions finds. Reads the engine directly.
 */
export const residencyLeaks = async (
  harness: RouterHarness,
  regions: readonly string[],
  keys: RegExp,
): Promise<string[]> => {
  const leaks: string[] = [];
  for (const region of regions) {
    for (const [table, items] of await harness.scanRegion(region)) {
      const found = items.filter((item) => keys.test(JSON.stringify(item))).length;
      if (found > 0) leaks.push(`${region}/${table}: ${found} item(s)`);
    }
  }
  return leaks;
};
