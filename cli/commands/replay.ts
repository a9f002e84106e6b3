import { Option, type Command } from 'commander';
import { collect, isoTime, positiveInt } from '../arguments';
import { AdminRefusedError } from '../cli-errors';
import { renderListing, renderTable, renderValue } from '../format';
import { act, type CliIo, type Session } from '../session';
import { describeReplayProgress, watchReplay, type ReplayStatus } from '../watch-job';

interface DryRun {
  dryRun: true;
  mode?: string;
  counts: {
    total: number;
    byTenant: Record<string, number>;
    byRoute: Record<string, number>;
    byTargetRegion: Record<string, number>;
  };
}

const countTable = (heading: string, counts: Record<string, number>): string =>
  renderTable(
    [heading, 'deliveries'],
    Object.entries(counts).sort(([, a], [, b]) => b - a),
  );

/** The dry run's answer: how many deliveries a replay would send, by tenant, route and target region. */
export const describeDryRun = (r: DryRun): string =>
  [
    `Dry run: ${r.counts.total} deliveries would be replayed; nothing was sent.`,
    '',
    countTable('tenant', r.counts.byTenant),
    '',
    countTable('route', r.counts.byRoute),
    '',
    countTable('target region', r.counts.byTargetRegion),
  ].join('\n');

/** Drops the selection fields the operator did not give, so the admin applies its defaults. */
const compact = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

/** Follows a job to its end and reports it; a replay that did not complete exits 1. */
const followReplay = async (s: Session, jobId: string): Promise<void> => {
  const outcome = await watchReplay(s, jobId);
  if (outcome === 'detached') return;
  s.print(outcome, describeReplayProgress);
  if (outcome.state !== 'COMPLETED') {
    const reason = typeof outcome.error === 'string' ? `: ${outcome.error}` : '';
    throw new AdminRefusedError('replay.status', {
      code: `Replay${outcome.state}`,
      message: `replay ${jobId} ended ${outcome.state}${reason}`,
    });
  }
};

const registerStart = (replay: Command, io: CliIo): void => {
  replay
    .command('start')
    .description('Replay stored deliveries that match a selection, with a live progress bar (Ctrl-C detaches).')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--route <route>', 'only this route')
    .option('--source <source>', 'only events of this source')
    .option('--target <target>', 'only deliveries to this target')
    .option('--target-region <region>', 'only deliveries to this region')
    .addOption(
      new Option('--status <status>', 'deliveries in this state').choices([
        'parked',
        'delivered',
        'waiting',
        'missing',
        'all',
      ]),
    )
    .option('--from <time>', 'events received from (ISO 8601)', isoTime)
    .option('--to <time>', 'events received until (ISO 8601)', isoTime)
    .option('--event-id <id>', 'only this event (repeatable)', collect)
    .addOption(
      new Option('--mode <mode>', 'missing: only deliveries not confirmed; force: send again even if delivered')
        .choices(['missing', 'force'])
        .default('missing'),
    )
    .option('--budget <per-second>', 'at most this many deliveries per second', positiveInt)
    .option('--dry-run', 'count what would be replayed, by tenant, route and target region; send nothing')
    .option('--detach', 'start it and return; follow later with `replay status <id> --watch`')
    .action(
      act(io, async (s, _args, o) => {
        const selection = compact({
          tenant: o.tenant,
          route: o.route,
          source: o.source,
          target: o.target,
          region: o.targetRegion,
          status: o.status,
          from: o.from,
          to: o.to,
          eventIds: o.eventId,
        });
        const request = {
          selection,
          mode: o.mode,
          dryRun: o.dryRun === true ? true : undefined,
          budgetPerSecond: o.budget,
        };
        if (o.dryRun === true) return s.print(await s.call<DryRun>('replay.start', request), describeDryRun);
        const started = await s.call<{ jobId: string; state: string }>('replay.start', request);
        if (s.options.json || o.detach === true) {
          return s.print(
            started,
            (r) =>
              `Started replay ${r.jobId} (${r.state}).\nFollow it: ${s.invocation} replay status ${r.jobId} --watch`,
          );
        }
        s.note(`Started replay ${started.jobId}. Ctrl-C detaches; the replay keeps running.`);
        await followReplay(s, started.jobId);
      }),
    );
};

/** `replay start|status|list|cancel|pause|resume`: replay jobs, which run in the admin and survive the CLI. */
export const registerReplay = (program: Command, io: CliIo): void => {
  const replay = program.command('replay').description('Replay stored deliveries, as jobs that survive the CLI.');
  registerStart(replay, io);

  replay
    .command('status')
    .description("Show a replay job's state and progress (--watch follows it with a progress bar).")
    .argument('<job-id>', 'as `replay start` or `replay list` printed it')
    .option('--watch', 'follow it until it ends (Ctrl-C detaches)')
    .action(
      act(io, async (s, [jobId], o) => {
        if (o.watch === true && !s.options.json) return followReplay(s, String(jobId));
        s.print(await s.call<ReplayStatus>('replay.status', { jobId }), renderValue);
      }),
    );

  replay
    .command('list')
    .description('List recent replay jobs.')
    .action(
      act(io, async (s) => {
        s.print(await s.call('replay.list'), (r) => renderListing(r, 'no replay jobs'));
      }),
    );

  for (const [verb, description] of [
    ['cancel', 'Cancel a replay job; what it sent stays sent.'],
    ['pause', 'Pause a replay job at its cursor.'],
    ['resume', 'Resume a paused replay job from its cursor.'],
  ] as const) {
    replay
      .command(verb)
      .description(description)
      .argument('<job-id>', 'the job')
      .action(
        act(io, async (s, [jobId]) => {
          const result = await s.call<{ jobId?: string; state?: string }>(`replay.${verb}`, { jobId });
          s.print(result, (r) => (r.state ? `Replay ${r.jobId ?? String(jobId)}: ${r.state}` : renderValue(r)));
        }),
      );
  }
};
