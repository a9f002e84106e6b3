import type { Caller, ControlTable } from '../../adapters/control-table';
import type { CoordTable } from '../../adapters/coord-table';
import type { FailureQueues } from '../../adapters/failure-queues';
import type { InboxTable } from '../../adapters/inbox-table';
import type { LedgerTable } from '../../adapters/ledger-table';
import type { QuarantineTable } from '../../adapters/quarantine-table';
import type { QuorumStore } from '../../adapters/quorum-store';
import type { CompileOptions } from '../../domain/catalog';
import type { IngestOutcome } from '../ingest-event';
import type { LogPort } from '../telemetry';

/** What every admin action may use. Actions that need more take it from here, never from the environment. */
export interface AdminDeps {
  region: string;
  stage: string;
  regions: readonly string[];
  zones: ReadonlyMap<string, readonly string[]>;
  /** The stage's ceiling for catalogs: zones, retention, publisher bindings. */
  compileOptions: CompileOptions;
  control: ControlTable;
  quorum: QuorumStore;
  inbox: InboxTable;
  ledger: LedgerTable;
  /** A region's coord table (heartbeat, judgements), read across regions. */
  peerCoord: (region: string) => Pick<CoordTable, 'readHeartbeat' | 'readJudgements'>;
  /** The quarantine table of a region (erase reaches every region of a zone). */
  quarantineOf: (region: string) => Pick<QuarantineTable, 'eraseMatching' | 'eraseMentioning'>;
  /** Who made the call, verified where the platform allows (see verify-caller.ts). */
  verifyCaller: (request: Record<string, unknown>) => Promise<Caller>;
  /** This region's failure queues (ingest DLQ, ingest and route on-failure destinations). */
  failureQueues: FailureQueues;
  /** The ingest path of this region (dedupe included): what redrive sends a dead-lettered event through. */
  ingest: (event: unknown) => Promise<IngestOutcome>;
  /** How long `replay.start --dry-run` waits for the sweepers' runners to count. */
  dryRunWaitMs: number;
  now: () => Date;
  newId: () => string;
  sleep: (ms: number) => Promise<void>;
  log: LogPort;
}

/** A mistake in the request or a refusal, with what to do next; answered as `{ ok: false, error }`. */
export class AdminRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: unknown,
  ) {
    super(message);
    this.name = 'AdminRequestError';
  }
}
