/** TTL arithmetic, in one place: DynamoDB TTL takes epoch seconds. */

export const DAY_MS = 86_400_000;

/** The TTL value for something kept `days` days from `from`. */
export const expiresAtSeconds = (from: Date | number, days: number): number =>
  Math.floor((typeof from === 'number' ? from : from.getTime()) / 1000) + days * 86_400;

/** Retention settings: the stage default and per-zone overrides (stages/<stage>.yml). */
export interface RetentionSettings {
  defaultDays: number;
  zoneDays: Readonly<Record<string, number>>;
}

/** How long an event of this zone (and tenant, when the catalog narrows it) is kept. */
export const retentionDays = (settings: RetentionSettings, zone: string, tenantDays?: number): number => {
  // Own members only: a zone named like an Object.prototype member (`constructor`) must not read it.
  const zoneDays =
    (Object.hasOwn(settings.zoneDays, zone) ? settings.zoneDays[zone] : undefined) ?? settings.defaultDays;
  return tenantDays === undefined ? zoneDays : Math.min(tenantDays, zoneDays);
};
