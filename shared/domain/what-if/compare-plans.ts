import type { PlannedDelivery } from '../routing/plan-deliveries';

/** A delivery as what-if reports it: target, placement and the region it would go to. */
export interface PlanEntry {
  to: string;
  target: string;
  region: string;
  routes: string[];
}

/** How a candidate catalog changes the deliveries of one event. */
export interface PlanChange {
  added: PlanEntry[];
  removed: PlanEntry[];
  /** The same target delivered, but in another region. */
  moved: { target: string; from: PlanEntry; to: PlanEntry }[];
}

const entryOf = (d: PlannedDelivery): PlanEntry => ({
  to: d.to,
  target: d.target,
  region: d.region,
  routes: [...d.routes],
});

/** Deliveries that are sent somewhere: a residency-blocked one never is. */
const sendable = (plan: readonly PlannedDelivery[]): PlannedDelivery[] => plan.filter((d) => !d.blocked);

/**
 * Compares the deliveries the active catalog plans for an event with the candidate's: added,
 * removed, and moved (a target that loses a delivery in one region and gains one in another).
 */
export const comparePlans = (
  current: readonly PlannedDelivery[],
  candidate: readonly PlannedDelivery[],
): PlanChange => {
  const key = (d: PlannedDelivery): string => `${d.to}@${d.region}`;
  const before = new Map(sendable(current).map((d) => [key(d), d]));
  const after = new Map(sendable(candidate).map((d) => [key(d), d]));
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, d]) => entryOf(d));
  const added = [...after].filter(([k]) => !before.has(k)).map(([, d]) => entryOf(d));
  const moved: PlanChange['moved'] = [];
  for (const gone of [...removed]) {
    const index = added.findIndex((a) => a.target === gone.target && a.region !== gone.region);
    if (index < 0) continue;
    const [arrived] = added.splice(index, 1);
    removed.splice(removed.indexOf(gone), 1);
    if (arrived) moved.push({ target: gone.target, from: gone, to: arrived });
  }
  return { added, removed, moved };
};

/** Totals over many events. */
export interface WhatIfTotals {
  events: number;
  changedEvents: number;
  added: number;
  removed: number;
  moved: number;
}

/** Adds one event's change to the totals. */
export const addChange = (totals: WhatIfTotals, change: PlanChange): WhatIfTotals => {
  const changed = change.added.length + change.removed.length + change.moved.length > 0;
  return {
    events: totals.events + 1,
    changedEvents: totals.changedEvents + (changed ? 1 : 0),
    added: totals.added + change.added.length,
    removed: totals.removed + change.removed.length,
    moved: totals.moved + change.moved.length,
  };
};
