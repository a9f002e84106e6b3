import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../../shared/domain/map-with-concurrency';

describe('mapWithConcurrency', () => {
  it('never has more than the limit in flight and keeps results in input order', async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    const items = Array.from({ length: 25 }, (_, i) => i);
    // Act
    const results = await mapWithConcurrency(items, 4, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, (n % 3) * 2));
      inFlight -= 1;
      return n * 2;
    });
    // Assess
    expect(peak).toBe(4);
    expect(results).toEqual(items.map((n) => n * 2));
  });

  it('handles an empty list', async () => {
    expect(await mapWithConcurrency([], 8, async () => 1)).toEqual([]);
  });
});
