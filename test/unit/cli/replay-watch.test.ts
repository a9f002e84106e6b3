import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/cli-errors';
import { ok, runWithFakeAdmin, type Answer } from './cli-harness';

/** A replay job that reports each state of `states` in turn, one per replay.status call. */
const scriptedJob = (states: string[]): Answer => {
  let polls = 0;
  return (request) => {
    if (request.action === 'replay.start') return ok({ jobId: 'job-7', state: 'STARTING' });
    const state = states[Math.min(polls, states.length - 1)] ?? 'RUNNING';
    polls += 1;
    return ok({ jobId: 'job-7', state, progress: { scanned: 40, selected: 10, sent: polls, skipped: 0, failed: 0 } });
  };
};

describe('replay start follows its job', () => {
  it('polls replay.status until the job completes, then prints the summary', async () => {
    const run = await runWithFakeAdmin(
      ['replay', 'start', '--tenant', 'orders'],
      scriptedJob(['RUNNING', 'RUNNING', 'COMPLETED']),
    );

    expect(run.requests.map((r) => r.action)).toEqual([
      'replay.start',
      'replay.status',
      'replay.status',
      'replay.status',
    ]);
    expect(run.stdout).toBe('replay job-7 COMPLETED: scanned 40, selected 10, sent 3, skipped 0, failed 0\n');
    expect(run.code).toBe(EXIT.ok);
  });

  it('exits 1 when the job ends other than COMPLETED', async () => {
    const run = await runWithFakeAdmin(['replay', 'start'], scriptedJob(['RUNNING', 'FAILED']));

    expect(run.code).toBe(EXIT.refused);
    expect(run.stderr).toContain('replay job-7 ended FAILED');
  });

  it('detaches on Ctrl-C, leaving the job running and saying how to reattach', async () => {
    const run = await runWithFakeAdmin(['replay', 'start'], scriptedJob(['RUNNING']), { interruptAfterSleeps: 2 });

    expect(run.code).toBe(EXIT.ok);
    expect(run.requests.map((r) => r.action)).not.toContain('replay.cancel');
    expect(run.stderr).toContain('Detached; replay job-7 keeps running.');
    expect(run.stderr).toContain('follow it: npx switchyard replay status job-7 --watch');
  });

  it('returns at once with --detach, printing the job id', async () => {
    const run = await runWithFakeAdmin(['replay', 'start', '--detach'], scriptedJob(['RUNNING']));

    expect(run.requests.map((r) => r.action)).toEqual(['replay.start']);
    expect(run.stdout).toContain('Started replay job-7 (STARTING).');
  });

  it('reattaches with replay status --watch', async () => {
    const run = await runWithFakeAdmin(['replay', 'status', 'job-7', '--watch'], scriptedJob(['RUNNING', 'COMPLETED']));

    expect(run.requests).toEqual([
      { action: 'replay.status', jobId: 'job-7' },
      { action: 'replay.status', jobId: 'job-7' },
    ]);
    expect(run.stdout).toContain('replay job-7 COMPLETED');
  });
});
