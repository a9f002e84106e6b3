import { describe, expect, it } from 'vitest';
import { planBatches } from '../../../shared/domain/delivery/plan-batches';

const sized = (...sizes: number[]) => sizes.map((size, i) => ({ name: `e${i + 1}`, size }));
const names = (batches: Array<Array<{ name: string }>>) => batches.map((b) => b.map((e) => e.name));

describe('planBatches', () => {
  it('splits 11 entries into a batch of 10 and a batch of 1', () => {
    // Act
    const { batches, oversized } = planBatches(sized(...Array<number>(11).fill(10)), 10, 262_144);

    // Assess
    expect(batches.map((b) => b.length)).toEqual([10, 1]);
    expect(batches[1]?.[0]?.name).toBe('e11');
    expect(oversized).toEqual([]);
  });

  it('starts a new batch when the next entry would take the batch over the byte limit', () => {
    const { batches } = planBatches(sized(100, 100, 100, 40), 10, 250);
    expect(names(batches)).toEqual([
      ['e1', 'e2'],
      ['e3', 'e4'],
    ]);
  });

  it('keeps a batch whose total is exactly the byte limit', () => {
    const { batches } = planBatches(sized(100, 150, 1), 10, 250);
    expect(names(batches)).toEqual([['e1', 'e2'], ['e3']]);
  });

  it('sets aside an entry too large for any batch and batches the rest in order', () => {
    // Act
    const { batches, oversized } = planBatches(sized(10, 300, 20), 10, 250);

    // Assess
    expect(oversized.map((e) => e.name)).toEqual(['e2']);
    expect(names(batches)).toEqual([['e1', 'e3']]);
  });

  it('returns no batches for no entries', () => {
    expect(planBatches([], 10, 250)).toEqual({ batches: [], oversized: [] });
  });
});
