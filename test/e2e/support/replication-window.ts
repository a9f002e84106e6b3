import type { RouterHarness } from '../../../local/harness/router-harness';

/** Long enough that no region's first copy arrives while another's ingest is still cold-starting. */
const HELD_LAG_MS = 120_000;

/**
 * Has several regions accept one key "inside the replication window", whatever their cold starts:
 * replication is held back (a long lag) until each region's inbox holds the copy its own ingest
 * stored (home = that region), then released (back to the lag it had), so each region's copy reaches the others as a
 * conflicting write. With a fixed short lag a region whose ingest cold-starts slowly (beside a CPU
 * hog) would see the other's copy first and drop its own as a duplicate: a correct outcome, but
 * not the one these drills set out to produce.
 */
export const acceptInEachRegion = async (
  harness: RouterHarness,
  inboxId: string,
  regions: readonly string[],
  publish: () => Promise<unknown>,
  timeoutMs = 60_000,
): Promise<void> => {
  const { replicator } = harness.rc.router;
  const lagBefore = replicator.status().lagMs;
  replicator.setLag(HELD_LAG_MS);
  try {
    await publish();
    const inbox = harness.tables.zone('global', 'inbox');
    await harness.waitFor(
      `${inboxId} stored by the ingest of each of ${regions.join(', ')}`,
      async () => {
        const homes = await Promise.all(regions.map(async (r) => (await harness.get(r, inbox, { id: inboxId }))?.home));
        return homes.every((home, i) => home === regions[i]);
      },
      timeoutMs,
    );
  } finally {
    replicator.setLag(lagBefore);
  }
};
