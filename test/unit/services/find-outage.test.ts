import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../../../shared/adapters/control-jobs';
import type { OutageRecord } from '../../../shared/adapters/control-table';
import { findOutage } from '../../../shared/services/jobs/find-outage';

const epoch = (
  zone: string,
  n: number,
  holder: string,
  since: string,
  watermarks?: Record<string, string>,
): EpochRecord => ({
  zone,
  home: 'us-east-1',
  epoch: n,
  holder,
  since,
  ...(watermarks ? { watermarks } : {}),
});

const controlWith = (epochs: EpochRecord[], outage?: OutageRecord) => ({
  listEpochs: async (zone: string) => epochs.filter((e) => e.zone === zone).sort((a, b) => b.epoch - a.epoch),
  lastOutage: async () => outage,
});

describe('the last outage of a region', () => {
  it("starts at the first takeover after the region last held its home, with that successor's watermarks, and ends at the handback", async () => {
    // Prepare: us-east-1 held epoch 1; eu-west-1 took over (2), then ap-southeast-2 (3); us-east-1 took it back (4).
    const control = controlWith([
      epoch('global', 1, 'us-east-1', '2026-11-30T10:00:00.000Z'),
      epoch('global', 2, 'eu-west-1', '2026-11-30T11:00:00.000Z', { 'us-east-1#0': '2026-11-30T10:59:58.000Z' }),
      epoch('global', 3, 'ap-southeast-2', '2026-11-30T11:05:00.000Z', { 'us-east-1#0': '2026-11-30T11:04:00.000Z' }),
      epoch('global', 4, 'us-east-1', '2026-11-30T11:20:00.000Z'),
    ]);
    // Act
    const outage = await findOutage(control, ['global'], 'us-east-1');
    // Assess
    expect(outage).toEqual({
      takeoverAt: '2026-11-30T11:00:00.000Z',
      recoveredAt: '2026-11-30T11:20:00.000Z',
      watermarks: { global: { 'us-east-1#0': '2026-11-30T10:59:58.000Z' } },
    });
  });

  it('is still going when a zone has not been handed back, and takes the earliest takeover over the zones', async () => {
    const control = controlWith([
      epoch('global', 2, 'eu-west-1', '2026-11-30T11:00:02.000Z', {}),
      epoch('transatlantic', 5, 'eu-west-1', '2026-11-30T11:00:01.000Z', {}),
      epoch('transatlantic', 6, 'us-east-1', '2026-11-30T11:30:00.000Z'),
    ]);
    const outage = await findOutage(control, ['global', 'transatlantic'], 'us-east-1');
    expect(outage).toMatchObject({ takeoverAt: '2026-11-30T11:00:01.000Z' });
    expect(outage?.recoveredAt).toBeUndefined();
  });

  it('falls back to the outage record the health function wrote, and knows of none without either', async () => {
    const recorded = { region: 'us-east-1', startedAt: '2026-11-30T09:00:00.000Z', recordedBy: 'eu-west-1' };
    expect(await findOutage(controlWith([], recorded), ['global'], 'us-east-1')).toEqual({
      takeoverAt: recorded.startedAt,
    });
    expect(await findOutage(controlWith([]), ['global'], 'us-east-1')).toBeUndefined();
  });
});
