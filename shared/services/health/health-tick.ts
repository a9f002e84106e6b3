import type { OwnsEntry } from '../../adapters/coord-table';
import {
  completeRecovery,
  judge,
  quorumVerdict,
  type Judgement,
  type Observation,
  type RegionState,
} from '../../domain/health';
import { planLeases, type LeaseAction, type PeerView } from '../../domain/health/plan-leases';
import { FENCES_REGISTER, type Fences, type HealthDeps, type RegionHeartbeat } from './health-deps';

/** What one tick saw and did, for the handler's log and metrics and for `npm start`'s status. */
export interface TickReport {
  region: string;
  at: string;
  ok: boolean;
  problems: string[];
  verdicts: Record<string, string>;
  leases: Array<{ zone: string; home: string; action: string; outcome: string; epoch?: number }>;
}

type ProbeResult<T> = ({ ok: true; value: T } | { ok: false; problem: string }) & { ms: number };

/** Runs one probe, timing it and turning a failure into a problem line. */
const timed = async <T>(now: () => number, probe: () => Promise<T>): Promise<ProbeResult<T>> => {
  const started = now();
  try {
    const value = await probe();
    return { ok: true, value, ms: now() - started };
  } catch (error) {
    const problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, problem, ms: now() - started };
  }
};

/** One health tick: probe, heartbeat, judge every region, then renew, take over or hand back leases. */
export const healthTick = async (deps: HealthDeps): Promise<TickReport> => {
  const now = deps.now();
  const at = new Date(now).toISOString();
  const own = await probeSelf(deps, at);
  const fences = await readFences(deps);
  const caughtUp = await checkReplication(deps, at);
  const heartbeat: RegionHeartbeat = { ...own.heartbeat, caughtUp, quorumOk: fences.ok };
  await deps.coord.putHeartbeat(heartbeat).catch(() => undefined);
  const peerHeartbeats = await readPeerHeartbeats(deps);
  peerHeartbeats.set(deps.region, heartbeat);
  const judgements = await judgeAll(deps, now, peerHeartbeats, fences.value);
  const verdicts = await verdictsOf(deps, judgements);
  const peers = new Map<string, PeerView>(
    deps.regions.map((r) => {
      const hb = peerHeartbeats.get(r);
      const fence = fences.value[r]?.mode;
      return [
        r,
        {
          state: verdicts.get(r) ?? 'unknown',
          ready: Boolean(hb?.caughtUp && hb.quorumOk),
          ...(fence ? { fence } : {}),
        },
      ];
    }),
  );
  const owns = await deps.coord.readOwns().catch((): OwnsEntry[] => []);
  const held = new Map(owns.filter((o) => o.validUntil > now).map((o) => [`${o.zone}#${o.home}`, o.epoch]));
  // Ownerships whose renewals went unanswered until they ran out: nothing routes under them any more.
  await Promise.all(
    owns.filter((o) => o.validUntil <= now).map((o) => deps.coord.forgetLapsed(o).catch(() => undefined)),
  );
  const plan = planLeases({
    region: deps.region,
    zones: deps.zones,
    peers,
    selfReady: heartbeat.ok && caughtUp,
    held,
    orphaned: new Set(),
  });
  const leases = await Promise.all(plan.map((action) => applyLease(action, deps, owns)));
  if (!heartbeat.ok) deps.metrics.count('RegionUnhealthy');
  return {
    region: deps.region,
    at,
    ok: heartbeat.ok,
    problems: heartbeat.problems,
    verdicts: Object.fromEntries(verdicts),
    leases,
  };
};

const probeSelf = async (deps: HealthDeps, at: string): Promise<{ heartbeat: RegionHeartbeat }> => {
  const [dynamodb, ingressBus, targets] = await Promise.all([
    timed(deps.now, deps.probes.dynamodb),
    timed(deps.now, deps.probes.ingressBus),
    timed(deps.now, deps.probes.targetBuses),
  ]);
  deps.metrics.timing('ProbeDynamoDbMs', dynamodb.ms);
  deps.metrics.timing('ProbeEventBridgeMs', Math.max(ingressBus.ms, targets.ms));
  const problems = [
    ...(dynamodb.ok ? [] : [`dynamodb: ${dynamodb.problem}`]),
    ...(ingressBus.ok ? [] : [`ingress bus: ${ingressBus.problem}`]),
    ...(targets.ok
      ? Object.entries(targets.value)
          .filter(([, ok]) => !ok)
          .map(([bus]) => `target bus ${bus} does not answer`)
      : [`target buses: ${targets.problem}`]),
  ];
  const probes = { dynamodb: dynamodb.ok, ingressBus: ingressBus.ok, targetBuses: targets.ok ? targets.value : {} };
  return { heartbeat: { region: deps.region, at, ok: dynamodb.ok && ingressBus.ok, probes, problems } };
};

const readFences = async (deps: HealthDeps): Promise<{ ok: boolean; value: Fences }> => {
  const read = await deps.quorum.readRegister(FENCES_REGISTER).catch(() => undefined);
  if (!read || read.outcome !== 'read') return { ok: false, value: {} };
  return { ok: true, value: (read.register?.value ?? {}) as Fences };
};

/** Writes this region's probe into every zone table it holds, and checks that every live peer's is recent here. */
const checkReplication = async (deps: HealthDeps, at: string): Promise<boolean> => {
  const zones = [...deps.zones].filter(([, regions]) => regions.includes(deps.region));
  const results = await Promise.all(
    zones.map(async ([zone, regions]) => {
      await deps.replication.write(zone, deps.region, at).catch(() => undefined);
      const seen = await deps.replication.read(zone).catch((): Record<string, string> => ({}));
      // The age of each peer's newest probe seen here: replication lag plus at most one tick.
      const ages = regions
        .filter((r) => r !== deps.region && seen[r] !== undefined)
        .map((r) => Math.max(0, Date.parse(at) - Date.parse(seen[r] ?? '')))
        .filter(Number.isFinite);
      if (ages.length > 0) deps.metrics.timing('ReplicationLagMs', Math.max(...ages));
      return regions.every(
        (r) =>
          r === deps.region ||
          (seen[r] !== undefined && Date.parse(at) - Date.parse(seen[r] ?? '') < deps.timing.catchUpMs),
      );
    }),
  );
  return results.every(Boolean);
};

const readPeerHeartbeats = async (deps: HealthDeps): Promise<Map<string, RegionHeartbeat | undefined>> => {
  const peers = deps.regions.filter((r) => r !== deps.region);
  const beats = await Promise.all(
    peers.map((r) =>
      deps
        .peer(r)
        .readHeartbeat()
        .then(
          (hb) => hb as RegionHeartbeat | undefined,
          () => null,
        ),
    ),
  );
  return new Map(
    peers.map((r, i) => [r, beats[i] === null ? undefined : beats[i]] as const).map(([r, hb]) => [r, hb ?? undefined]),
  );
};

const JUDGEMENTS = 'all';

/** Judges every region (itself included) from this tick's heartbeats, with hysteresis over earlier ticks. */
const judgeAll = async (
  deps: HealthDeps,
  now: number,
  heartbeats: Map<string, RegionHeartbeat | undefined>,
  fences: Fences,
): Promise<Record<string, Judgement>> => {
  const stored = await deps.coord.readJudgements().catch(() => []);
  const previous = (stored.find((j) => j.sk === JUDGEMENTS)?.judgements ?? {}) as Record<string, Judgement>;
  const judgements: Record<string, Judgement> = {};
  for (const region of deps.regions) {
    const hb = heartbeats.get(region);
    const observation: Observation = {
      region,
      at: now,
      reachable: hb !== undefined,
      ...(hb ? { heartbeatAgeMs: now - Date.parse(hb.at), probes: hb.probes } : {}),
    };
    let next = judge(previous[region], observation, deps.timing, fences[region] !== undefined);
    if (next.state === 'recovering' && hb?.caughtUp && hb.quorumOk) next = completeRecovery(next, now);
    judgements[region] = next;
  }
  await deps.coord.putJudgement(JUDGEMENTS, { judgements, at: new Date(now).toISOString() }).catch(() => undefined);
  return judgements;
};

/** The quorum verdict on every region: this region's judgements and every peer's it can read. */
const verdictsOf = async (
  deps: HealthDeps,
  mine: Record<string, Judgement>,
): Promise<Map<string, RegionState | 'unknown'>> => {
  const peers = deps.regions.filter((r) => r !== deps.region);
  const theirs = await Promise.all(
    peers.map((r) =>
      deps
        .peer(r)
        .readJudgements()
        .then(
          (items) =>
            (items.find((j) => j.sk === JUDGEMENTS)?.judgements ?? undefined) as Record<string, Judgement> | undefined,
          () => undefined,
        ),
    ),
  );
  const all = [mine, ...theirs];
  return new Map(
    deps.regions.map((r) => [
      r,
      quorumVerdict(
        all.map((set) => set?.[r]),
        deps.regions.length,
      ),
    ]),
  );
};

/** Carries out one lease action and keeps the local `owns` view (what route and sweeper read) in step. */
const applyLease = async (
  action: LeaseAction,
  deps: HealthDeps,
  owns: OwnsEntry[],
): Promise<TickReport['leases'][number]> => {
  const { zone, home } = action;
  const report = { zone, home, action: action.action };
  const since = owns.find((o) => o.zone === zone && o.home === home)?.since;
  try {
    if (action.action === 'drop') {
      await deps.coord.dropOwns(zone, home);
      deps.log.warn('stopped routing a home', { zone, home, reason: action.reason });
      return { ...report, outcome: 'dropped' };
    }
    if (action.action === 'let-expire') return { ...report, outcome: 'not renewed' };
    if (action.action === 'renew') {
      const renewed = await deps.quorum.renew(zone, home, deps.region, action.epoch);
      if (renewed.outcome === 'renewed') {
        await deps.coord.putOwns({
          zone,
          home,
          epoch: renewed.lease.epoch,
          since: since ?? new Date(deps.now()).toISOString(),
          validUntil: renewed.validUntil,
        });
        return { ...report, outcome: 'renewed', epoch: renewed.lease.epoch };
      }
      if (renewed.outcome === 'no-quorum') {
        // Unanswered, not refused: the validity last renewed still ends this region's ownership (the
        // ownership view and every claim check it), and the next tick tries again at the same epoch.
        // Dropping here would stop a loaded region for a lease that is still its own, until it took
        // its home back at a new epoch.
        deps.metrics.count('LeaseRenewUnanswered');
        deps.log.warn('lease renewal unanswered: routing until the lease ends', { zone, home, epoch: action.epoch });
        return { ...report, outcome: renewed.outcome };
      }
      // Self-fencing: a lease another region holds, or one renewed too late, is not routed under, from now.
      await deps.coord.dropOwns(zone, home).catch(() => undefined);
      deps.metrics.count('LeaseLost');
      deps.log.error('lease lost: stopped routing', { zone, home, outcome: renewed.outcome });
      return { ...report, outcome: renewed.outcome };
    }
    const acquired = await deps.quorum.acquire(zone, home, deps.region);
    if (acquired.outcome !== 'acquired') return { ...report, outcome: acquired.outcome };
    const at = new Date(deps.now()).toISOString();
    await deps.coord.putOwns({ zone, home, epoch: acquired.lease.epoch, since: at, validUntil: acquired.validUntil });
    deps.metrics.count('LeaseAcquired');
    deps.log.warn('acquired a lease', { zone, home, epoch: acquired.lease.epoch, reason: action.reason });
    if (action.reason === 'takeover')
      await deps.recordOutage({ region: home, startedAt: at, recordedBy: deps.region }).catch(() => undefined);
    return { ...report, outcome: 'acquired', epoch: acquired.lease.epoch };
  } catch (error) {
    return { ...report, outcome: `failed: ${error instanceof Error ? error.message : String(error)}` };
  }
};
