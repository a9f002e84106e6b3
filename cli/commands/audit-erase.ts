import type { Command } from 'commander';
import { keyValues, positiveInt, utcDay } from '../arguments';
import { UsageError } from '../cli-errors';
import { renderTable } from '../format';
import { act, type CliIo } from '../session';

interface AuditList {
  day: string;
  entries: Array<{
    action: string;
    at: string;
    outcome: string;
    caller: { principal: string; verified: boolean; how?: string };
    details?: Record<string, unknown>;
  }>;
}

interface Erased {
  zone: string;
  regions: string[];
  keys: number;
  removed: { inbox: number; ledgerRows: number; quarantine: Record<string, number> };
}

/** The audit log of one day: when, what, the outcome, and the caller (marked when it could not be verified). */
export const describeAudit = (list: AuditList): string => {
  if (list.entries.length === 0) return `No admin calls on ${list.day}.`;
  const rows = list.entries.map((e) => [
    e.at,
    e.action,
    e.outcome,
    e.caller.verified ? e.caller.principal : `${e.caller.principal} (unverified)`,
    e.details && Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : null,
  ]);
  return `Admin calls on ${list.day}, newest first:\n${renderTable(['at', 'action', 'outcome', 'caller', 'details'], rows)}`;
};

const describeErase = (source: string, r: Erased): string => {
  const quarantined = Object.values(r.removed.quarantine).reduce((sum, n) => sum + n, 0);
  return (
    `Erased ${r.keys} key(s) of ${source} in zone ${r.zone} (${r.regions.join(', ')}): ` +
    `${r.removed.inbox} inbox item(s), ${r.removed.ledgerRows} ledger row(s), ${quarantined} quarantined event(s).`
  );
};

/** `audit` (who called which admin action) and `erase` (remove one key's data everywhere in its zone). */
export const registerAuditAndErase = (program: Command, io: CliIo): void => {
  program
    .command('audit')
    .description('List the audit log of admin calls for one UTC day, newest first, with the verified caller.')
    .option('--day <day>', 'a UTC day, YYYY-MM-DD (default: today)', utcDay)
    .option('--limit <n>', 'at most this many entries (default 100)', positiveInt)
    .action(
      act(io, async (s, _args, opts) => {
        s.print(await s.call<AuditList>('audit.list', { day: opts.day, limit: opts.limit }), describeAudit);
      }),
    );

  program
    .command('erase')
    .description(
      'Remove everything stored for one key of a source (inbox, ledger, duplicates, quarantine) in every region of its zone.',
    )
    .argument('<source>', 'the event source, e.g. com.switchyard.orders')
    .option(
      '--key <json>',
      'the key values as JSON, e.g. \'["c-1", 3]\' (fewer values erase every key they start)',
      keyValues,
    )
    .option('--event-id <id>', 'erase by event id instead (sources keyed by id)')
    .option('--yes', 'confirm: erased data cannot be restored')
    .action(
      act(io, async (s, [source], opts) => {
        if ((opts.key === undefined) === (opts.eventId === undefined)) {
          throw new UsageError(
            'erase needs exactly one of --key or --event-id.',
            `e.g. ${s.invocation} erase com.switchyard.orders --key '["o-1"]' --yes`,
          );
        }
        if (opts.yes !== true) {
          throw new UsageError(
            'erase removes data for good and needs --yes.',
            'add --yes once you are sure of the source and key.',
          );
        }
        const result = await s.call<Erased>('erase', { source, key: opts.key, eventId: opts.eventId });
        s.print(result, (r) => describeErase(String(source), r));
      }),
    );
};
