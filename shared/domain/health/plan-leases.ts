import type { RegionState } from './judge-region';
import { successorOf } from './successor';

/** What one region does this tick about the lease on one (zone, home). */
export type LeaseAction =
  | { zone: string; home: string; action: 'renew'; epoch: number }
  | { zone: string; home: string; action: 'acquire'; reason: 'own home' | 'takeover' | 'orphaned' }
  /** Stop routing now and let the lease run out: fenced, or handing a recovered home back. */
  | { zone: string; home: string; action: 'drop'; reason: string }
  /** Keep routing until the lease runs out, but do not renew it (drain). */
  | { zone: string; home: string; action: 'let-expire'; reason: string };

/** What a region knows about another when it plans its leases. */
export interface PeerView {
  state: RegionState | 'unknown';
  /** The region's own latest heartbeat says it has caught up and can reach a quorum. */
  ready: boolean;
  fence?: 'fence' | 'drain';
}

export interface LeasePlanInput {
  region: string;
  zones: ReadonlyMap<string, readonly string[]>;
  /** The quorum verdict on every region, with its readiness and operator fence. */
  peers: ReadonlyMap<string, PeerView>;
  /** This region's own probes pass and it has caught up (the condition to take its own home back). */
  selfReady: boolean;
  /** Leases this region holds validly now: `<zone>#<home>` → epoch. */
  held: ReadonlyMap<string, number>;
  /** Leases seen expired for longer than the orphan threshold (no holder renews them). */
  orphaned: ReadonlySet<string>;
}

const DOWN: ReadonlySet<RegionState | 'unknown'> = new Set(['failed', 'fenced']);

/**
 * Decides, for every (zone, home) of every zone this region belongs to, whether to renew, acquire,
 * drop or let expire its lease. Pure: safety comes from the quorum store's conditions; this only
 * decides who tries. A region owns its own home unless fenced; it takes over another home of the
 * zone when that home is down (or its lease orphaned) and it is the home's successor in the zone's
 * order; it hands a taken-over home back once the home is healthy, caught up and reachable.
 */
export const planLeases = (input: LeasePlanInput): LeaseAction[] => {
  const actions: LeaseAction[] = [];
  const me = input.peers.get(input.region);
  const stateOf = (r: string): RegionState | 'unknown' => {
    const peer = input.peers.get(r);
    return peer?.fence ? 'fenced' : (peer?.state ?? 'unknown');
  };
  for (const [zone, regions] of input.zones) {
    if (!regions.includes(input.region)) continue;
    for (const home of regions) {
      const key = `${zone}#${home}`;
      const epoch = input.held.get(key);
      const held = epoch !== undefined;
      if (home === input.region) {
        if (me?.fence === 'fence') {
          if (held) actions.push({ zone, home, action: 'drop', reason: 'this region is fenced by an operator' });
        } else if (me?.fence === 'drain') {
          if (held) actions.push({ zone, home, action: 'let-expire', reason: 'this region is being drained' });
        } else if (held) actions.push({ zone, home, action: 'renew', epoch });
        else if (input.selfReady) actions.push({ zone, home, action: 'acquire', reason: 'own home' });
        continue;
      }
      const peer = input.peers.get(home);
      const homeDown = DOWN.has(stateOf(home));
      const successor = successorOf(regions, home, stateOf) === input.region;
      if (held) {
        const handBack = !homeDown && peer?.state === 'healthy' && peer.ready;
        if (handBack)
          actions.push({ zone, home, action: 'drop', reason: `${home} is healthy again: handing its events back` });
        else if (me?.fence === 'fence')
          actions.push({ zone, home, action: 'drop', reason: 'this region is fenced by an operator' });
        else if (me?.fence === 'drain')
          actions.push({ zone, home, action: 'let-expire', reason: 'this region is being drained' });
        else actions.push({ zone, home, action: 'renew', epoch });
      } else if (successor && me?.fence === undefined && (homeDown || input.orphaned.has(key))) {
        actions.push({ zone, home, action: 'acquire', reason: homeDown ? 'takeover' : 'orphaned' });
      }
    }
  }
  return actions;
};
