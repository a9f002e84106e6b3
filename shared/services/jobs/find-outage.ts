import type { ControlJobs, EpochRecord } from '../../adapters/control-jobs';
import type { ControlTable } from '../../adapters/control-table';
import type { OutageFacts } from '../../domain/jobs/job-model';

/** Epochs read per (zone, home) when looking for the last outage. */
const EPOCHS_READ = 20;

/**
 * The latest outage of `region`'s home in one zone: the first takeover after the region last held
 * it (that successor's watermarks describe what reached the zone), and the handback after it.
 */
const outageIn = (epochs: readonly EpochRecord[], region: string) => {
  const oldestFirst = [...epochs].sort((a, b) => a.epoch - b.epoch);
  const latest = oldestFirst.filter((e) => e.holder !== region).pop();
  if (!latest) return undefined;
  const heldBefore = oldestFirst.filter((e) => e.holder === region && e.epoch < latest.epoch).pop()?.epoch ?? -1;
  const takeover = oldestFirst.find((e) => e.holder !== region && e.epoch > heldBefore) ?? latest;
  const handback = oldestFirst.find((e) => e.holder === region && e.epoch > latest.epoch);
  return { takeover, handback };
};

/**
 * Finds the region's last outage from the ownership epochs the sweepers recorded (when a successor
 * took each of its (zone, home) over, what it held then, when the region got it back), or from the
 * outage record the health function wrote at takeover. Undefined when neither knows of one.
 */
export const findOutage = async (
  control: Pick<ControlJobs, 'listEpochs'> & Pick<ControlTable, 'lastOutage'>,
  zones: readonly string[],
  region: string,
): Promise<OutageFacts | undefined> => {
  const perZone = await Promise.all(
    zones.map(async (zone) => ({ zone, found: outageIn(await control.listEpochs(zone, region, EPOCHS_READ), region) })),
  );
  const found = perZone.flatMap((z) => (z.found ? [{ zone: z.zone, ...z.found }] : []));
  if (found.length === 0) {
    const recorded = await control.lastOutage(region);
    return recorded
      ? { takeoverAt: recorded.startedAt, ...(recorded.endedAt ? { recoveredAt: recorded.endedAt } : {}) }
      : undefined;
  }
  const takeoverAt = found.map((f) => f.takeover.since).sort()[0] ?? '';
  const handbacks = found.map((f) => f.handback?.since);
  const recoveredAt = handbacks.every(Boolean) ? (handbacks as string[]).sort().pop() : undefined;
  const watermarks = Object.fromEntries(
    found.flatMap((f) => (f.takeover.watermarks ? [[f.zone, f.takeover.watermarks]] : [])),
  );
  return {
    takeoverAt,
    ...(recoveredAt ? { recoveredAt } : {}),
    ...(Object.keys(watermarks).length ? { watermarks } : {}),
  };
};
