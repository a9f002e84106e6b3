import { z } from 'zod';
import type { Judgement } from '../../../domain/health';
import { quorumVerdict } from '../../../domain/health';
import { FENCES_REGISTER, type Fences } from '../../health/health-deps';
import { AdminRequestError, type AdminDeps } from '../admin-deps';
import { defineAction } from '../registry';
import { readRegisterOrFail, writeRegisterOrFail } from './quorum-registers';

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region such as eu-west-1');

/** Every region's state (quorum verdict), heartbeat, operator fence, and who holds each (zone, home) at which epoch. */
export const regionStatus = async (deps: AdminDeps) => {
  const judgementSets = await Promise.all(
    deps.regions.map((r) =>
      deps
        .peerCoord(r)
        .readJudgements()
        .then(
          (items) => items.find((j) => j.sk === 'all')?.judgements as Record<string, Judgement> | undefined,
          () => undefined,
        ),
    ),
  );
  const heartbeats = await Promise.all(
    deps.regions.map((r) =>
      deps
        .peerCoord(r)
        .readHeartbeat()
        .catch(() => undefined),
    ),
  );
  const fences = ((await readRegisterOrFail(deps.quorum, FENCES_REGISTER))?.value ?? {}) as Fences;
  const leases = await Promise.all(
    [...deps.zones].flatMap(([zone, regions]) =>
      regions.map(async (home) => {
        const read = await deps.quorum.readLease(zone, home);
        const lease = read.outcome === 'read' ? read.lease : undefined;
        const live = lease !== undefined && lease.expiresAt > deps.now().getTime();
        return {
          zone,
          home,
          holder: live ? lease.holder : null,
          epoch: lease?.epoch ?? 0,
          expiresAt: lease ? new Date(lease.expiresAt).toISOString() : null,
        };
      }),
    ),
  );
  return {
    regions: deps.regions.map((r, i) => ({
      region: r,
      state: fences[r]
        ? 'fenced'
        : quorumVerdict(
            judgementSets.map((set) => set?.[r]),
            deps.regions.length,
          ),
      fence: fences[r] ?? null,
      heartbeat: heartbeats[i]
        ? { at: heartbeats[i]?.at, ok: heartbeats[i]?.ok, problems: heartbeats[i]?.problems }
        : null,
    })),
    leases,
  };
};

export const regionsStatus = defineAction({
  name: 'region.status',
  description: 'Every region’s state, heartbeat and fence, and who owns each (zone, home) at which epoch.',
  mutates: false,
  request: z.strictObject({}),
  run: (_request, deps) => regionStatus(deps),
});

const setFence = async (deps: AdminDeps, target: string, mode: 'fence' | 'drain' | undefined, by: string) => {
  if (!deps.regions.includes(target)) {
    throw new AdminRequestError(
      'UnknownRegion',
      `${target} is not a region of stage ${deps.stage} (${deps.regions.join(', ')}).`,
    );
  }
  const register = await readRegisterOrFail(deps.quorum, FENCES_REGISTER);
  const fences = { ...((register?.value ?? {}) as Fences) };
  const previous = fences[target] ?? null;
  if (mode) fences[target] = { mode, at: deps.now().toISOString(), by };
  else delete fences[target];
  await writeRegisterOrFail(deps.quorum, FENCES_REGISTER, (register?.version ?? 0) + 1, fences);
  return { region: target, fence: fences[target] ?? null, previous };
};

export const regionFence = defineAction({
  name: 'region.fence',
  description:
    'Fences a region: it stops routing at once and the next healthy region of each zone takes over its events.',
  mutates: true,
  request: z.strictObject({ region }),
  run: (request, deps, caller) => setFence(deps, request.region, 'fence', caller.principal),
});

export const regionDrain = defineAction({
  name: 'region.drain',
  description: 'Drains a region: it finishes what it holds, does not renew its leases, and hands its events over.',
  mutates: true,
  request: z.strictObject({ region }),
  run: (request, deps, caller) => setFence(deps, request.region, 'drain', caller.principal),
});

export const regionUnfence = defineAction({
  name: 'region.unfence',
  description: 'Clears a fence or drain: the region recovers, catches up and takes its events back.',
  mutates: true,
  request: z.strictObject({ region }),
  run: (request, deps, caller) => setFence(deps, request.region, undefined, caller.principal),
});
