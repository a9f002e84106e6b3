import type { Command } from 'commander';
import { isoTime } from '../arguments';
import { AdminRefusedError, UsageError } from '../cli-errors';
import { act, type CliIo, type Session } from '../session';
import { pollUntilFinal } from '../watch-job';

interface ReconcileState {
  reportId: string;
  state: string;
  error?: string;
}

/** Waits for a reconcile to finish, noting each state change; Ctrl-C leaves it running and says how to fetch it. */
const awaitReport = async (s: Session, reportId: string): Promise<boolean> => {
  let last = '';
  const outcome = await pollUntilFinal(
    s,
    () => s.call<ReconcileState>('reconcile.status', { reportId }),
    (status) => {
      if (status.state !== last && !s.options.json) s.note(`reconcile ${reportId}: ${status.state}`);
      last = status.state;
    },
  );
  if (outcome === 'detached') {
    s.note(`Detached; reconcile ${reportId} keeps running. Fetch it: ${s.invocation} reconcile --report ${reportId}`);
    return false;
  }
  if (outcome.state !== 'COMPLETED') {
    throw new AdminRefusedError('reconcile.status', {
      code: `Reconcile${outcome.state}`,
      message: `reconcile ${reportId} ended ${outcome.state}${outcome.error ? `: ${outcome.error}` : ''}`,
    });
  }
  return true;
};

/** Prints the report (table, or JSON with --json) or writes it as HTML. */
const emitReport = async (s: Session, reportId: string, htmlFile: string | undefined): Promise<void> => {
  const format = htmlFile ? 'html' : s.options.json ? 'json' : 'table';
  const report = await s.call<{ format: string; body: unknown }>('reconcile.report', { reportId, format });
  if (htmlFile) {
    s.io.writeFile(htmlFile, String(report.body));
    return s.print({ reportId, html: htmlFile }, () => `Wrote reconcile report ${reportId} to ${htmlFile}`);
  }
  // The admin renders JSON as text, like the other formats; scripts get it as one JSON document.
  const body: unknown = format === 'json' && typeof report.body === 'string' ? JSON.parse(report.body) : report.body;
  s.print(body, (body) => (typeof body === 'string' ? body.trimEnd() : JSON.stringify(body, null, 2)));
};

/** `reconcile <region>`: compares what a region should have delivered with what its targets received. */
export const registerReconcile = (program: Command, io: CliIo): void => {
  program
    .command('reconcile')
    .description(
      "Reconcile a region after an outage: every event's planned deliveries against the ledger; prints the report.",
    )
    .argument('[region]', 'the region to reconcile, e.g. eu-west-1')
    .option('--from <time>', 'window start (ISO 8601; default: the start of its last outage)', isoTime)
    .option('--to <time>', 'window end (ISO 8601; default: now)', isoTime)
    .option('--html <file>', 'write the report as HTML to this file')
    .option('--report <report-id>', 'fetch a report already started instead of starting one')
    .action(
      act(io, async (s, [region], o) => {
        if ((region === undefined) === (o.report === undefined)) {
          throw new UsageError(
            'reconcile needs a region to reconcile, or --report <id> for an existing report.',
            `e.g. ${s.invocation} reconcile eu-west-1 --html reconcile.html`,
          );
        }
        let reportId = o.report as string | undefined;
        if (!reportId) {
          const started = await s.call<ReconcileState>('reconcile.start', { region, from: o.from, to: o.to });
          reportId = started.reportId;
          if (!s.options.json) s.note(`Started reconcile ${reportId} of ${String(region)}.`);
        }
        if (await awaitReport(s, reportId)) await emitReport(s, reportId, o.html as string | undefined);
      }),
    );
};
