import { describe, expect, it } from 'vitest';
import { probeTargetBuses } from '../../../shared/services/health/target-bus-probe';

const never = (): Promise<unknown> => new Promise(() => undefined);

describe('probeTargetBuses', () => {
  it('reports each bus that answers as up and each that fails as down', async () => {
    // Act
    const result = await probeTargetBuses(
      ['fulfilment', 'analytics'],
      (bus) => (bus === 'fulfilment' ? Promise.resolve({}) : Promise.reject(new Error('503'))),
      1_000,
    );
    // Assess
    expect(result).toEqual({ fulfilment: true, analytics: false });
  });

  it('counts a bus still silent at the deadline as down, and answers by the deadline however slow the bus is', async () => {
    // Prepare: one bus never answers (a slow or hung DescribeEventBus).
    const started = Date.now();
    // Act
    const result = await probeTargetBuses(
      ['fulfilment', 'ledger-sync'],
      (bus) => (bus === 'fulfilment' ? never() : Promise.resolve({})),
      50,
    );
    // Assess: the heartbeat that waits for this probe is not held past the deadline.
    expect(result).toEqual({ fulfilment: false, 'ledger-sync': true });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
