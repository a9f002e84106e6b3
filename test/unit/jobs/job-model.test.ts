import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  deriveJobState,
  JobTransitionError,
  newJobId,
  type PartState,
} from '../../../shared/domain/jobs/job-model';

const parts = (...states: PartState[]) => states.map((state) => ({ state }));

describe('job state', () => {
  it('is STARTING until a runner picks up a part, then RUNNING, then COMPLETED when every part is done', () => {
    // Prepare, Act, Assess
    expect(deriveJobState('STARTING', parts('pending', 'pending'))).toBe('STARTING');
    expect(deriveJobState('STARTING', parts('running', 'pending'))).toBe('RUNNING');
    expect(deriveJobState('RUNNING', parts('done', 'running'))).toBe('RUNNING');
    expect(deriveJobState('RUNNING', parts('done', 'done'))).toBe('COMPLETED');
  });

  it('is FAILED as soon as one part failed, and keeps what an operator set over what the parts say', () => {
    expect(deriveJobState('RUNNING', parts('failed', 'done'))).toBe('FAILED');
    expect(deriveJobState('PAUSED', parts('running'))).toBe('PAUSED');
    expect(deriveJobState('CANCELLED', parts('done', 'done'))).toBe('CANCELLED');
  });

  it('pauses and cancels a live job, resumes a paused one, and refuses anything on a finished job', () => {
    // Act, Assess
    expect(applyCommand('RUNNING', 'pause')).toBe('PAUSED');
    expect(applyCommand('STARTING', 'cancel')).toBe('CANCELLED');
    expect(applyCommand('PAUSED', 'resume')).toBe('RUNNING');
    expect(applyCommand('PAUSED', 'cancel')).toBe('CANCELLED');
    expect(() => applyCommand('COMPLETED', 'cancel')).toThrow(JobTransitionError);
    expect(() => applyCommand('RUNNING', 'resume')).toThrow('cannot resume a job that is RUNNING');
  });

  it('names jobs so they sort by creation time and fit the replay trace resource', () => {
    // Act
    const early = newJobId('replay', new Date('2026-11-30T19:24:51.123Z'), 'abcdef123');
    const later = newJobId('replay', new Date('2026-11-30T19:24:52.000Z'), '000000');
    // Assess
    expect(early).toBe('rp-20261130T192451-abcdef');
    expect(later > early).toBe(true);
    expect(newJobId('reconcile', new Date('2026-11-30T19:24:51Z'), 'ffffff')).toMatch(/^rc-/);
    expect(early.length).toBeLessThanOrEqual(36);
  });
});
