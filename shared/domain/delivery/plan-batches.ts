export interface SizedEntry {
  size: number;
}

/**
 * Packs entries into PutEvents calls of at most `maxEntries` whose summed size stays under
 * `maxBytes`, in order. An entry larger than `maxBytes` on its own is returned in `oversized`.
 */
export const planBatches = <T extends SizedEntry>(
  entries: readonly T[],
  maxEntries: number,
  maxBytes: number,
): { batches: T[][]; oversized: T[] } => {
  const batches: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (entry.size > maxBytes) {
      oversized.push(entry);
      continue;
    }
    if (current.length === maxEntries || bytes + entry.size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry.size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
};
