import { describe, expect, it } from 'vitest';
import { addChange, comparePlans } from '../../../shared/domain/what-if/compare-plans';
import { planned } from '../jobs/job-fixtures';

describe('what-if plan comparison', () => {
  it('reports a target that goes to another region as moved, not as added and removed', () => {
    // Act
    const change = comparePlans([planned()], [planned({ region: 'eu-west-1' })]);
    // Assess
    expect(change.added).toEqual([]);
    expect(change.removed).toEqual([]);
    expect(change.moved).toMatchObject([
      { target: 'fulfilment', from: { region: 'us-east-1' }, to: { region: 'eu-west-1' } },
    ]);
  });

  it('reports deliveries added and removed, and leaves residency-blocked plans out', () => {
    const change = comparePlans(
      [planned(), planned({ to: 'x#eu-west-1', target: 'x', blocked: { reason: 'residency-blocked', message: '' } })],
      [planned({ to: 'analytics#us-east-1', target: 'analytics' })],
    );
    expect(change.added.map((a) => a.to)).toEqual(['analytics#us-east-1']);
    expect(change.removed.map((r) => r.to)).toEqual(['fulfilment#local']);
  });

  it('totals changes over events', () => {
    const totals = [comparePlans([planned()], [planned()]), comparePlans([], [planned()])].reduce(addChange, {
      events: 0,
      changedEvents: 0,
      added: 0,
      removed: 0,
      moved: 0,
    });
    expect(totals).toEqual({ events: 2, changedEvents: 1, added: 1, removed: 0, moved: 0 });
  });
});
