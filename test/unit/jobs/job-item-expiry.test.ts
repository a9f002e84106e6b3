import { describe, expect, it } from 'vitest';
import { JOB_ITEM_DAYS, jobItemExpiry } from '../../../shared/adapters/ledger/job-rows';

const NOW = '2026-11-30T12:00:00.000Z';
const nowSeconds = Date.parse(NOW) / 1000;

describe('job items in the ledger', () => {
  it('expire with the zone’s retention when it is shorter than the job window, since they name event keys', () => {
    const expiry = jobItemExpiry((zone) => (zone === 'eu' ? 3 : 90));

    expect(expiry('eu', NOW)).toBe(nowSeconds + 3 * 86_400);
    expect(expiry('global', NOW)).toBe(nowSeconds + JOB_ITEM_DAYS * 86_400);
  });

  it('keep the job window when no retention is given', () => {
    expect(jobItemExpiry()('eu', NOW)).toBe(nowSeconds + JOB_ITEM_DAYS * 86_400);
  });
});
