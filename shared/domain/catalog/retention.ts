import type { Catalog, StageRetention } from './catalog';

/** The stage's retention for one of its zones: the zone's own if the stage sets one, else the stage default. */
export const zoneRetentionDays = (retention: StageRetention, zone: string): number => {
  const zoneDays = retention.zoneDays;
  return (zoneDays && Object.hasOwn(zoneDays, zone) ? zoneDays[zone] : undefined) ?? retention.defaultDays;
};

/**
 * How many days events of `source` are kept: the tenant's retention if set, else the stage's for the
 * source's zone, else the stage default. An undeclared source (quarantined anyway) gets the stage default.
 */
export const retentionDaysOf = (catalog: Catalog, source: string, stageRetention: StageRetention): number => {
  const policy = catalog.sources.get(source);
  if (!policy) return stageRetention.defaultDays;
  return catalog.tenants.get(policy.tenant)?.retentionDays ?? zoneRetentionDays(stageRetention, policy.residency);
};
