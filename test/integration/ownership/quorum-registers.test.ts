import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QuorumStore } from '../../../shared/adapters/quorum-store';
import { COORD_TABLE, REGIONS, startQuorumHarness, type QuorumHarness } from './quorum-harness';

const [US, EU, AP] = REGIONS;

let harness: QuorumHarness;
let store: QuorumStore;

beforeAll(async () => {
  harness = await startQuorumHarness();
  store = harness.store();
});

afterAll(async () => {
  await harness?.stop();
});

afterEach(() => {
  harness.cloud.faults.clear();
});

/** A register no other test touches. */
const freshName = (): string => `routes-active-${randomUUID().slice(0, 8)}`;

const loseWritesTo = (...regions: string[]) => {
  for (const region of regions)
    harness.cloud.faults.set('dynamodb', region, { down: '503', table: COORD_TABLE, operation: 'PutItem' });
};

describe('quorum store registers', () => {
  it('reads back the highest version written, and nothing for a register never written', async () => {
    // Prepare
    const name = freshName();

    // Act
    const empty = await store.readRegister(name);
    await store.writeRegister(name, 1, { version: 7 });
    const second = await store.writeRegister(name, 2, { version: 8 });
    const read = await store.readRegister(name);

    // Assess
    expect(empty).toMatchObject({ outcome: 'read', register: undefined });
    expect(second.outcome).toBe('written');
    expect(read).toMatchObject({ outcome: 'read', register: { version: 2, value: { version: 8 } } });
  });

  it('accepts the same version and value twice, and refuses another value under a version already written', async () => {
    // Prepare
    const name = freshName();
    await store.writeRegister(name, 3, { fenced: [US] });

    // Act
    const retried = await store.writeRegister(name, 3, { fenced: [US] });
    const conflicting = await store.writeRegister(name, 3, { fenced: [EU] });
    const older = await store.writeRegister(name, 2, { fenced: [] });

    // Assess
    expect(retried.outcome).toBe('written');
    expect(conflicting).toMatchObject({ outcome: 'superseded', current: { version: 3, value: { fenced: [US] } } });
    expect(older).toMatchObject({ outcome: 'superseded', current: { version: 3 } });
  });

  it('writes a version that reached one region back to a majority on the next read, so later reads never go back', async () => {
    // Prepare: version 2 reaches only us-east-1.
    const name = freshName();
    await store.writeRegister(name, 1, 'v1');
    loseWritesTo(EU, AP);
    const partial = await store.writeRegister(name, 2, 'v2');
    harness.cloud.faults.clear();

    // Act
    const repairing = await store.readRegister(name);
    harness.cloud.faults.set('dynamodb', US, { down: 'refuse' });
    const withoutTheFirstRegion = await store.readRegister(name);

    // Assess
    expect(partial).toMatchObject({ outcome: 'no-quorum', answered: 1 });
    expect(repairing).toMatchObject({ outcome: 'read', register: { version: 2, value: 'v2' } });
    expect(repairing.answers.write?.map((reply) => reply.answer)).toEqual(['accepted', 'accepted']);
    expect(withoutTheFirstRegion).toMatchObject({ outcome: 'read', register: { version: 2, value: 'v2' } });
    expect(withoutTheFirstRegion.answers.write).toBeUndefined();
  });

  it('writes with one region of three down, and has no quorum with two down', async () => {
    // Prepare
    const name = freshName();
    harness.cloud.faults.set('dynamodb', AP, { down: 'refuse' });

    // Act
    const oneDown = await store.writeRegister(name, 1, 'x');
    harness.cloud.faults.set('dynamodb', EU, { down: 'refuse' });
    const twoDown = await store.writeRegister(name, 2, 'y');
    const read = await store.readRegister(name);

    // Assess
    expect(oneDown.outcome).toBe('written');
    expect(twoDown).toMatchObject({ outcome: 'no-quorum', answered: 1 });
    expect(read).toMatchObject({ outcome: 'no-quorum', answered: 1 });
  });
});
