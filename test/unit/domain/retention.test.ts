import { describe, expect, it } from 'vitest';
import { DAY_MS, expiresAtSeconds, retentionDays } from '../../../shared/domain/retention';

const SETTINGS = { defaultDays: 14, zoneDays: { eu: 30, us: 7 } };

describe('retentionDays', () => {
  it('uses the stage default for a zone without its own retention', () => {
    expect(retentionDays(SETTINGS, 'global')).toBe(14);
  });

  it('uses the zone’s own retention where the stage sets one', () => {
    expect(retentionDays(SETTINGS, 'eu')).toBe(30);
    expect(retentionDays(SETTINGS, 'us')).toBe(7);
  });

  it('narrows to the tenant’s retention when it is shorter than the zone’s', () => {
    expect(retentionDays(SETTINGS, 'eu', 3)).toBe(3);
  });

  it('never keeps a tenant’s events longer than its zone allows', () => {
    expect(retentionDays(SETTINGS, 'us', 90)).toBe(7);
  });

  it('ignores inherited object members when a zone shares a name with one', () => {
    // Prepare: catalog zone names are lowercase words, and `constructor` is one
    const settings = { defaultDays: 14, zoneDays: {} };

    // Act
    const days = retentionDays(settings, 'constructor');

    // Assess
    expect(days).toBe(14);
  });
});

describe('expiresAtSeconds', () => {
  it('adds whole days to the epoch seconds of a date', () => {
    expect(expiresAtSeconds(new Date('2026-11-27T10:00:01.900Z'), 2)).toBe(
      Math.floor(Date.parse('2026-11-27T10:00:01.900Z') / 1000) + 2 * 86_400,
    );
  });

  it('takes epoch milliseconds as well as a date', () => {
    const ms = Date.parse('2026-11-27T10:00:01.000Z');
    expect(expiresAtSeconds(ms, 1)).toBe(expiresAtSeconds(new Date(ms), 1));
  });

  it('agrees with DAY_MS', () => {
    expect(expiresAtSeconds(DAY_MS, 0)).toBe(86_400);
  });
});
