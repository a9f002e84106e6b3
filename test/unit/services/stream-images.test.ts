import { describe, expect, it } from 'vitest';
import { decideChange, readInboxChange, type InboxChange } from '../../../shared/services/stream-images';
import { buildEuCustomerItem, buildInboxItem, buildStreamRecord } from '../../helpers/factories';

const change = (eventName: string, newItem?: object, oldItem?: object): InboxChange => ({
  sequenceNumber: '1',
  eventName,
  ...(newItem ? { newItem } : {}),
  ...(oldItem ? { oldItem } : {}),
});

describe('readInboxChange', () => {
  it('unmarshalls the images of a stream record into plain items, numbers included', () => {
    // Prepare
    const item = buildInboxItem({ resources: ['arn:aws:x'], traceHeader: 'Root=1-abc' });
    const record = buildStreamRecord({
      eventName: 'MODIFY',
      sequenceNumber: '42',
      newItem: item,
      oldItem: { ...item, home: 'eu-west-1' },
    });

    // Act
    const read = readInboxChange(record);

    // Assess
    expect(read).toEqual({
      sequenceNumber: '42',
      eventName: 'MODIFY',
      newItem: item,
      oldItem: { ...item, home: 'eu-west-1' },
    });
    expect(typeof read.newItem?.windowEnd).toBe('number');
    expect(typeof read.newItem?.hops).toBe('number');
  });

  it('keeps a typed key id exactly as ingest wrote it', () => {
    const item = buildEuCustomerItem();
    const read = readInboxChange(buildStreamRecord({ eventName: 'INSERT', sequenceNumber: '3', newItem: item }));
    expect(read.newItem?.id).toBe('k1["com.switchyard.eu.customers","s:c-1","n:1"]');
  });

  it('leaves out images the record does not carry', () => {
    const read = readInboxChange(
      buildStreamRecord({ eventName: 'INSERT', sequenceNumber: '7', newItem: buildInboxItem() }),
    );
    expect(read).not.toHaveProperty('oldItem');
  });

  it('reads a record without a stream section as an unknown change with no images', () => {
    const read = readInboxChange({ eventName: undefined, dynamodb: undefined } as never);
    expect(read).toEqual({ sequenceNumber: '', eventName: 'UNKNOWN' });
  });
});

describe('decideChange', () => {
  it('routes a new event this region ingested', () => {
    const item = buildInboxItem({ home: 'us-east-1' });
    expect(decideChange(change('INSERT', item), 'us-east-1')).toEqual({ action: 'route', item });
  });

  it("leaves a new event replicated from another home to the sweeper of that home's owner", () => {
    const item = buildInboxItem({ home: 'eu-west-1' });
    expect(decideChange(change('INSERT', item), 'us-east-1')).toEqual({ action: 'ignore' });
  });

  it("counts a duplicate when a replicated overwrite moves the home of an event away from this region, with the event's TTL", () => {
    // Prepare: both regions accepted the key inside the replication window; eu-west-1's write won here
    const mine = buildInboxItem({ home: 'us-east-1' });
    const theirs = buildInboxItem({ home: 'eu-west-1', eventId: 'evt-other' });

    // Act
    const action = decideChange(change('MODIFY', theirs, mine), 'us-east-1');

    // Assess
    expect(action).toEqual({
      action: 'count-duplicate',
      id: mine.id,
      lost: 'us-east-1',
      lostTo: 'eu-west-1',
      expiresAt: theirs.expiresAt,
    });
  });

  it('leaves the count to the losing home: a region whose copy won, or that held neither copy, counts nothing', () => {
    // Prepare: three regions accepted the key; ap-southeast-2's copy won. us-east-1's copy had first lost to eu-west-1's.
    const east = buildInboxItem({ home: 'us-east-1' });
    const west = buildInboxItem({ home: 'eu-west-1', eventId: 'evt-west' });
    const sydney = buildInboxItem({ home: 'ap-southeast-2', eventId: 'evt-sydney' });

    // Act
    const eastFirstLoss = decideChange(change('MODIFY', west, east), 'us-east-1');
    const eastThenOverwrittenAgain = decideChange(change('MODIFY', sydney, west), 'us-east-1');
    const westLoss = decideChange(change('MODIFY', sydney, west), 'eu-west-1');
    const winner = decideChange(change('MODIFY', sydney, sydney), 'ap-southeast-2');

    // Assess: two repeats, one count from each losing home
    expect([eastFirstLoss, eastThenOverwrittenAgain, westLoss, winner].map((a) => a.action)).toEqual([
      'count-duplicate',
      'ignore',
      'count-duplicate',
      'ignore',
    ]);
    expect(westLoss).toMatchObject({ lost: 'eu-west-1', lostTo: 'ap-southeast-2' });
  });

  it('routes a key used again after its dedupe window as a new event, where it was accepted, and counts no duplicate', () => {
    // Prepare: the last use's row, left behind by lazy TTL, is overwritten by a new event for the same key.
    const last = buildInboxItem({ home: 'us-east-1', eventId: 'evt-last' });
    const afterWindow = new Date(last.windowEnd + 1_000).toISOString();
    const sameHome = buildInboxItem({ home: 'us-east-1', eventId: 'evt-new', receivedAt: afterWindow });
    const otherHome = buildInboxItem({ home: 'eu-west-1', eventId: 'evt-new', receivedAt: afterWindow });

    // Act
    const here = decideChange(change('MODIFY', sameHome, last), 'us-east-1');
    const movedAway = decideChange(change('MODIFY', otherHome, last), 'us-east-1');
    const movedHere = decideChange(change('MODIFY', otherHome, last), 'eu-west-1');

    // Assess
    expect(here).toEqual({ action: 'route', item: sameHome });
    expect(movedAway).toEqual({ action: 'ignore' });
    expect(movedHere).toEqual({ action: 'route', item: otherHome });
  });

  it('leaves the count to the losing home when the overwrite moved the home to this region', () => {
    const before = buildInboxItem({ home: 'eu-west-1' });
    const after = buildInboxItem({ home: 'us-east-1' });
    expect(decideChange(change('MODIFY', after, before), 'us-east-1')).toEqual({ action: 'ignore' });
  });

  it('ignores a home change between two other regions', () => {
    const action = decideChange(
      change('MODIFY', buildInboxItem({ home: 'eu-west-1' }), buildInboxItem({ home: 'us-east-1' })),
      'ap-southeast-2',
    );
    expect(action).toEqual({ action: 'ignore' });
  });

  it('ignores a modification of the same use of a key that keeps the home', () => {
    const item = buildInboxItem();
    const later = { ...item, receivedAt: new Date(Date.parse(item.receivedAt) + 60_000).toISOString() };
    expect(decideChange(change('MODIFY', later, item), 'us-east-1')).toEqual({ action: 'ignore' });
  });

  it('ignores a home change whose new image has no id to count under', () => {
    const { id: _id, ...withoutId } = buildInboxItem({ home: 'eu-west-1' });
    expect(decideChange(change('MODIFY', withoutId, buildInboxItem()), 'us-east-1')).toEqual({ action: 'ignore' });
  });

  it('ignores a removal (TTL expiry or erase)', () => {
    expect(decideChange(change('REMOVE', undefined, buildInboxItem()), 'us-east-1')).toEqual({ action: 'ignore' });
  });

  it('ignores a modification that carries only one image', () => {
    expect(decideChange(change('MODIFY', buildInboxItem({ home: 'eu-west-1' })), 'us-east-1')).toEqual({
      action: 'ignore',
    });
  });
});
