import { describe, expect, it } from 'vitest';
import { replaySteps, type ReplayStepsInput } from '../../../shared/domain/jobs/replay-steps';
import { NOW, planned, RECEIVED_AT, row } from './job-fixtures';

const input = (overrides: Partial<ReplayStepsInput>): ReplayStepsInput => ({
  planned: [planned()],
  rows: [],
  selection: {},
  mode: 'missing',
  jobId: 'rp-1',
  me: 'us-east-1',
  receivedAt: RECEIVED_AT,
  now: NOW,
  ...overrides,
});

describe('replay steps', () => {
  it('sends, in missing mode, only what no owner delivered', () => {
    // Prepare
    const deliveries = [planned(), planned({ to: 'analytics#us-east-1', target: 'analytics' })];
    // Act
    const steps = replaySteps(input({ planned: deliveries, rows: [row({ owner: 'eu-west-1', epoch: 2 })] }));
    // Assess
    expect(steps.map((s) => [s.delivery.to, s.action])).toEqual([['analytics#us-east-1', 'send']]);
  });

  it('chooses nothing in missing mode once everything is delivered, so a second run sends nothing', () => {
    expect(replaySteps(input({ rows: [row()] }))).toEqual([]);
  });

  it('reopens our own parked row before sending it again', () => {
    const [step] = replaySteps(input({ rows: [row({ status: 'parked', lastError: 'AccessDenied' })] }));
    expect(step).toMatchObject({ action: 'send', row: 'ordinary', reopen: true, status: 'parked' });
  });

  it('sends, in force mode, what is delivered already, on the job row, once per job', () => {
    // Act
    const first = replaySteps(input({ mode: 'force', rows: [row()] }));
    const again = replaySteps(
      input({
        mode: 'force',
        rows: [row(), row({ sk: 'fulfilment#local@eu-west-1#replay:rp-1', owner: 'eu-west-1', replayJob: 'rp-1' })],
      }),
    );
    // Assess
    expect(first).toMatchObject([{ action: 'send', row: 'replay', reopen: false }]);
    expect(again).toMatchObject([{ action: 'skip', reason: 'already-replayed' }]);
  });

  it('skips a delivery whose claim is live, and a blocked or waiting plan, with the reason', () => {
    const steps = replaySteps(
      input({
        planned: [
          planned(),
          planned({ to: 'x#eu', target: 'x', blocked: { reason: 'residency-blocked', message: 'outside' } }),
          planned({ to: 'y#local', target: 'y', waiting: { reason: 'region-unavailable', message: 'down' } }),
        ],
        rows: [row({ status: 'claimed', due: '2026-11-30T12:01:00.000Z' })],
      }),
    );
    expect(steps.map((s) => (s.action === 'skip' ? s.reason : s.action))).toEqual([
      'in-flight',
      'residency-blocked',
      'region-unavailable',
    ]);
  });

  it('applies the status filter to what the ledger shows, and leaves rows of an earlier incarnation out', () => {
    // Prepare: a parked delivery, and one whose only row belongs to an expired incarnation of the key.
    const deliveries = [planned(), planned({ to: 'analytics#us-east-1', target: 'analytics' })];
    const rows = [
      row({ status: 'parked' }),
      row({ to: 'analytics#us-east-1', target: 'analytics', windowEnd: Date.parse(RECEIVED_AT) }),
    ];
    // Act
    const parked = replaySteps(input({ planned: deliveries, rows, selection: { status: 'parked' } }));
    const missing = replaySteps(input({ planned: deliveries, rows, selection: { status: 'missing' } }));
    // Assess
    expect(parked.map((s) => s.delivery.to)).toEqual(['fulfilment#local']);
    expect(missing.map((s) => s.delivery.to)).toEqual(['analytics#us-east-1']);
  });
});
