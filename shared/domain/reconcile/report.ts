import { bump, type ClassCounts } from '../jobs/job-model';
import type { ClassifiedDelivery, DeliveryCopy, DeliveryClass } from './classify-deliveries';

/** What reconcile did about a delivery it found missing. */
export type ReportAction = 'delivered-now' | 'left-waiting' | 'failed';

/** One line of a reconcile report: a delivery that is not simply delivered once (those are only counted). */
export interface ReportRow {
  zone: string;
  home: string;
  /** The event's key (kept in the zone's ledger; shown only by a region of the zone). */
  id: string;
  eventId: string;
  keyDigest: string;
  source: string;
  tenant: string;
  receivedAt: string;
  to: string;
  target: string;
  region: string;
  class: DeliveryClass;
  state?: 'delivered' | 'missing';
  copies: DeliveryCopy[];
  reason?: string;
  action?: ReportAction;
  /** The owner and epoch it was delivered under, when reconcile delivered it. */
  deliveredBy?: { owner: string; epoch: number };
}

/** A reconcile report as the admin function returns it. */
export interface ReconcileReport {
  reportId: string;
  region: string;
  window: { from: string; to: string };
  takeoverAt?: string;
  state: string;
  generatedAt: string;
  counts: ClassCounts;
  rows: ReportRow[];
  /** Set when there were more rows than a report lists: the counts still cover every delivery. */
  rowsTruncatedAt?: number;
  /** Zones whose rows live only in regions other than the one asked (their keys never leave the zone). */
  elsewhere: { zone: string; regions: string[] }[];
}

/** No counts yet. */
export const emptyClassCounts = (): ClassCounts => ({
  byClass: {},
  byTenant: {},
  byRegion: {},
  toDo: 0,
  deliveredNow: 0,
});

const bumpNested = (map: Record<string, Record<string, number>>, outer: string, inner: string): void => {
  const entry = (map[outer] ??= {});
  bump(entry, inner);
};

/** Counts one classified delivery under its class, its tenant and the region it goes to. */
export const countClassified = (counts: ClassCounts, tenant: string, c: ClassifiedDelivery): void => {
  bump(counts.byClass, c.class);
  bumpNested(counts.byTenant, tenant, c.class);
  bumpNested(counts.byRegion, c.region, c.class);
};

/** Sums the counts of several parts. */
export const addClassCounts = (parts: readonly ClassCounts[]): ClassCounts => {
  const total = emptyClassCounts();
  for (const part of parts) {
    for (const [cls, n] of Object.entries(part.byClass)) bump(total.byClass, cls, n);
    for (const [tenant, classes] of Object.entries(part.byTenant))
      for (const [cls, n] of Object.entries(classes)) bump((total.byTenant[tenant] ??= {}), cls, n);
    for (const [region, classes] of Object.entries(part.byRegion))
      for (const [cls, n] of Object.entries(classes)) bump((total.byRegion[region] ??= {}), cls, n);
    total.toDo += part.toDo;
    total.deliveredNow += part.deliveredNow;
  }
  return total;
};

/** Whether a classified delivery gets a line in the report (delivered once is the normal case: counted only). */
export const isReported = (c: Pick<ClassifiedDelivery, 'class'>): boolean => c.class !== 'delivered-once';

/** Sum of a count map. */
export const totalOf = (map: Record<string, number>): number => Object.values(map).reduce((n, v) => n + v, 0);
