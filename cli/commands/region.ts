import type { Command } from 'commander';
import { renderTable } from '../format';
import { act, type CliIo, type Session } from '../session';

interface Fence {
  mode: 'fence' | 'drain';
  at: string;
  by: string;
}

interface RegionStatus {
  regions: Array<{
    region: string;
    state: string;
    fence: Fence | null;
    heartbeat: { at?: string; ok?: boolean; problems?: string[] } | null;
  }>;
  leases: Array<{ zone: string; home: string; holder: string | null; epoch: number; expiresAt: string | null }>;
}

interface FenceChange {
  region: string;
  fence: Fence | null;
  previous: Fence | null;
}

const heartbeatText = (heartbeat: RegionStatus['regions'][number]['heartbeat']): string => {
  if (!heartbeat) return 'none';
  const problems = heartbeat.problems?.length ? ` (${heartbeat.problems.join('; ')})` : '';
  return `${heartbeat.ok ? 'ok' : 'failing'} ${heartbeat.at ?? ''}${problems}`.trim();
};

/** Each region's state, then who owns each (zone, home) at which epoch. */
export const describeRegionStatus = (status: RegionStatus): string =>
  [
    renderTable(
      ['region', 'state', 'fence', 'heartbeat'],
      status.regions.map((r) => [
        r.region,
        r.state,
        r.fence ? `${r.fence.mode} by ${r.fence.by}` : null,
        heartbeatText(r.heartbeat),
      ]),
    ),
    '',
    renderTable(
      ['zone', 'home', 'owner', 'epoch', 'lease until'],
      status.leases.map((l) => [l.zone, l.home, l.holder ?? 'nobody (lease expired)', l.epoch, l.expiresAt]),
    ),
  ].join('\n');

const VERBS = { fence: 'Fenced', drain: 'Draining', unfence: 'Unfenced' } as const;

const describeChange = (verb: keyof typeof VERBS, change: FenceChange, s: Session): string => {
  const was = change.previous ? `was ${change.previous.mode} since ${change.previous.at}` : 'was not fenced';
  const undo =
    verb === 'unfence'
      ? 'It recovers, catches up and takes its events back.'
      : `Undo: ${s.invocation} region unfence ${change.region}`;
  return `${VERBS[verb]} ${change.region} (${was}).\n${undo}`;
};

/** `region status|fence|drain|unfence`: region health and the operator's fences. */
export const registerRegion = (program: Command, io: CliIo): void => {
  const region = program.command('region').description('Region health, ownership, and operator fences.');

  region
    .command('status')
    .description("Each region's state, heartbeat and fence, and the owner and epoch of each (zone, home).")
    .action(
      act(io, async (s) => {
        s.print(await s.call<RegionStatus>('region.status'), describeRegionStatus);
      }),
    );

  const changes = {
    fence: 'Fence a region: it stops routing at once; the next healthy region of each zone takes over.',
    drain: 'Drain a region: it finishes what it holds, stops renewing its leases and hands its events over.',
    unfence: 'Clear a fence or drain: the region recovers, catches up and takes its events back.',
  } as const;
  for (const [verb, description] of Object.entries(changes) as Array<[keyof typeof changes, string]>) {
    region
      .command(verb)
      .description(description)
      .argument('<region>', 'a region of the stage, e.g. eu-west-1')
      .action(
        act(io, async (s, [name]) => {
          const change = await s.call<FenceChange>(`region.${verb}`, { region: name });
          s.print(change, (c) => describeChange(verb, c, s));
        }),
      );
  }
};
