import { Argument, type Command } from 'commander';
import { collect, positiveInt } from '../arguments';
import { renderListing, renderValue } from '../format';
import { act, type CliIo, type Session } from '../session';

/** The failure queues redrive reads (the admin's `queue` names). */
export const QUEUES = ['ingest-dlq', 'ingest-failed', 'route-failed'] as const;

const queueArgument = (): Argument =>
  new Argument(
    '<queue>',
    'ingest-dlq (ingress rule DLQ), ingest-failed or route-failed (on-failure destinations)',
  ).choices(QUEUES);

/** A listing, then how to fetch the next page when the admin says there is one. */
const listingWithNext = (s: Session, more: (page: string) => string) => (result: unknown) => {
  const page = (result as { nextPage?: unknown } | null)?.nextPage;
  const text = renderListing(result);
  return typeof page === 'string' && page ? `${text}\nmore: ${s.invocation} ${more(page)}` : text;
};

/** `parked list` (deliveries the router gave up on, with the reason) and `redrive list|run` (the failure queues). */
export const registerParkedAndRedrive = (program: Command, io: CliIo): void => {
  program
    .command('parked')
    .description('Parked deliveries: planned, not delivered, kept with the reason.')
    .command('list')
    .description('List parked deliveries with their reason, newest first.')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--zone <zone>', 'only this residency zone')
    .option('--limit <n>', 'at most this many', positiveInt)
    .option('--page <token>', 'the next page, as the previous listing printed it')
    .action(
      act(io, async (s, _args, opts) => {
        const { tenant, zone, limit } = opts;
        const result = await s.call('parked.list', { tenant, zone, limit, page: opts.page });
        s.print(
          result,
          listingWithNext(s, (page) => `parked list --page ${page}`),
        );
      }),
    );

  const redrive = program
    .command('redrive')
    .description('Inspect and redrive the failure queues (ingress DLQ, on-failure destinations).');

  redrive
    .command('list')
    .description('List the messages waiting in a failure queue.')
    .addArgument(queueArgument())
    .option('--limit <n>', 'at most this many', positiveInt)
    .action(
      act(io, async (s, [queue], opts) => {
        s.print(await s.call('redrive.list', { queue, limit: opts.limit }), (r) =>
          renderListing(r, 'the queue is empty'),
        );
      }),
    );

  redrive
    .command('run')
    .description('Send the messages of a failure queue through the router again (all, or the ones named).')
    .addArgument(queueArgument())
    .option('--message-id <id>', 'only this message (repeatable)', collect)
    .action(
      act(io, async (s, [queue], opts) => {
        s.print(await s.call('redrive.run', { queue, messageIds: opts.messageId }), renderValue);
      }),
    );
};
