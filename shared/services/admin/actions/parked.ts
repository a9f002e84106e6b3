import { z } from 'zod';
import { keyDigest } from '../../../domain/ingest/key-encoding';
import { allShards } from '../../../table-definitions';
import { AdminRequestError } from '../admin-deps';
import { defineAction } from '../registry';
import { activeCatalog, localZones } from './job-support';

/** A parked delivery as `parked.list` shows it. */
export interface ParkedEntry {
  zone: string;
  tenant: string;
  /** The event's key: replay it with `replay.start --event-ids`. */
  id: string;
  keyDigest: string;
  to: string;
  target: string;
  region: string;
  owner: string;
  epoch: number;
  attempts: number;
  receivedAt: string;
  parkedAt?: string;
  reason?: string;
}

/** Where a listing stands: which zone, tenant and shard, and the position inside that shard. */
interface PagePosition {
  z: number;
  t: number;
  s: number;
  k?: string;
}

const encode = (p: PagePosition): string => Buffer.from(JSON.stringify(p), 'utf8').toString('base64url');
const decode = (token: string): PagePosition => {
  try {
    const p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PagePosition;
    if ([p.z, p.t, p.s].every(Number.isInteger)) return p;
  } catch {
    // Falls through to the typed error below.
  }
  throw new AdminRequestError('InvalidPage', 'page is not a token this action returned; start without it');
};

export const parkedList = defineAction({
  name: 'parked.list',
  description: 'Lists parked deliveries with their reasons, per tenant and zone of this region, a page at a time.',
  mutates: false,
  request: z.strictObject({
    tenant: z.string().min(1).max(64).optional(),
    zone: z.string().min(1).max(64).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    page: z.string().min(1).max(4096).optional(),
  }),
  async run(request, deps): Promise<{ items: ParkedEntry[]; next?: string }> {
    const local = localZones(deps);
    if (request.zone !== undefined && !local.has(request.zone))
      throw new AdminRequestError(
        'WrongRegion',
        `zone ${request.zone} has no replica in ${deps.region}; list it from ${(deps.zones.get(request.zone) ?? ['a region of the zone']).join(' or ')}`,
      );
    const zones = request.zone !== undefined ? [request.zone] : [...local.keys()].sort();
    const tenants =
      request.tenant !== undefined ? [request.tenant] : [...(await activeCatalog(deps)).tenants.keys()].sort();
    const at = request.page ? decode(request.page) : { z: 0, t: 0, s: 0 };
    const items: ParkedEntry[] = [];
    for (let { z: zi, t: ti, s: si } = at, k = at.k; zi < zones.length; zi += 1, ti = 0) {
      for (; ti < tenants.length; ti += 1, si = 0) {
        const shards = allShards(tenants[ti] ?? '');
        for (; si < shards.length; si += 1, k = undefined) {
          const zone = zones[zi] ?? '';
          const out = await deps.ledger.query.parkedDeliveries(zone, shards[si] ?? '', request.limit - items.length, k);
          items.push(
            ...out.items.map((r) => ({
              zone,
              tenant: r.tenant,
              id: r.id,
              keyDigest: keyDigest(r.id),
              to: r.to,
              target: r.target,
              region: r.region,
              owner: r.owner,
              epoch: r.epoch,
              attempts: r.attempts,
              receivedAt: r.receivedAt,
              ...(r.parkedAt ? { parkedAt: r.parkedAt } : {}),
              ...(r.lastError ? { reason: r.lastError } : {}),
            })),
          );
          if (items.length >= request.limit) {
            const next = out.next ? { z: zi, t: ti, s: si, k: out.next } : { z: zi, t: ti, s: si + 1 };
            return { items, next: encode(next) };
          }
        }
      }
    }
    return { items };
  },
});
