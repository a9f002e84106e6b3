import { z } from 'zod';
import { compileCatalog, type Catalog } from '../../../domain/catalog';
import { keyDigest } from '../../../domain/ingest/key-encoding';
import { planDeliveries } from '../../../domain/routing/plan-deliveries';
import { addChange, comparePlans, type PlanChange, type WhatIfTotals } from '../../../domain/what-if/compare-plans';
import { allShards } from '../../../table-definitions';
import { AdminRequestError } from '../admin-deps';
import { defineAction } from '../registry';
import { instant, localZones, regionName, windowIsOrdered } from './job-support';
import { compileCandidate, publishedDocument } from './routes-diff';

/** Events shown one by one; the totals cover every event read. */
const SAMPLES = 20;
/** The default window: the last hour. */
const DEFAULT_WINDOW_MS = 3_600_000;

/** One event whose deliveries the candidate would change. */
export interface WhatIfSample extends PlanChange {
  eventId: string;
  keyDigest: string;
  source: string;
  home: string;
  receivedAt: string;
  routesVersion: number;
}

/** What a candidate catalog would change over stored events. */
export interface WhatIfResult {
  candidateVersion: number;
  window: { from: string; to: string };
  zones: string[];
  homes: string[];
  totals: WhatIfTotals;
  samples: WhatIfSample[];
  /** True when `limit` stopped the reading before the window was covered. */
  truncated: boolean;
}

export const routesWhatIf = defineAction({
  name: 'routes.what-if',
  description:
    "Runs a candidate catalog against stored events of a window (this region's zones) and reports deliveries added, removed and moved between regions.",
  mutates: false,
  request: z
    .strictObject({
      yaml: z.string().max(400_000).optional(),
      document: z.unknown().optional(),
      from: instant.optional(),
      to: instant.optional(),
      regions: z
        .array(regionName)
        .min(1)
        .max(20)
        .optional()
        .describe('Home regions whose events to read (default: this one).'),
      limit: z.number().int().min(1).max(5_000).default(500),
    })
    .refine((r) => (r.yaml === undefined) !== (r.document === undefined), 'give exactly one of yaml or document')
    .refine(windowIsOrdered, { message: 'from must not be after to', path: ['from'] }),
  async run(request, deps): Promise<WhatIfResult> {
    const candidate = compileCandidate(request.yaml, request.document, deps).catalog;
    const to = request.to ?? deps.now().toISOString();
    const window = { from: request.from ?? new Date(Date.parse(to) - DEFAULT_WINDOW_MS).toISOString(), to };
    const homes = request.regions ?? [deps.region];
    const unknown = homes.find((h) => !deps.regions.includes(h));
    if (unknown) throw new AdminRequestError('UnknownRegion', `${unknown} is not a region of stage ${deps.stage}`);
    const zones = [...localZones(deps)].filter(([, regions]) => homes.some((h) => regions.includes(h)));
    const catalogs = new Map<number, Promise<Catalog>>();
    const pinned = (v: number): Promise<Catalog> => {
      if (!catalogs.has(v))
        catalogs.set(
          v,
          publishedDocument(deps, v).then((d) => compileCatalog(d)),
        );
      return catalogs.get(v) as Promise<Catalog>;
    };
    let totals: WhatIfTotals = { events: 0, changedEvents: 0, added: 0, removed: 0, moved: 0 };
    const samples: WhatIfSample[] = [];
    let truncated = false;
    for (const [zone, regions] of zones) {
      for (const shard of homes.filter((h) => regions.includes(h)).flatMap(allShards)) {
        let page: string | undefined;
        do {
          if (totals.events >= request.limit) truncated = true;
          if (truncated) break;
          const out = await deps.ledger.query.receivedEvents(
            zone,
            shard,
            window,
            Math.min(100, request.limit - totals.events),
            page,
          );
          for (const row of out.items) {
            const item = await deps.inbox.get(zone, row.id);
            if (!item || Date.parse(item.receivedAt) >= row.windowEnd) continue;
            const usable = () => true;
            const change = comparePlans(
              planDeliveries({ item, catalog: await pinned(item.routesVersion), usable }),
              planDeliveries({ item, catalog: candidate, usable }),
            );
            totals = addChange(totals, change);
            if (samples.length < SAMPLES && change.added.length + change.removed.length + change.moved.length > 0)
              samples.push({
                eventId: item.eventId,
                keyDigest: keyDigest(item.id),
                source: item.source,
                home: item.home,
                receivedAt: item.receivedAt,
                routesVersion: item.routesVersion,
                ...change,
              });
          }
          page = out.next;
        } while (page);
      }
    }
    return {
      candidateVersion: candidate.version,
      window,
      zones: zones.map(([z]) => z),
      homes,
      totals,
      samples,
      truncated,
    };
  },
});
