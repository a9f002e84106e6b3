import { describe, expect, it } from 'vitest';
import { decideChange, readInboxChange, type InboxChange } from '../../../shared/services/stream-images';
import { buildInboxItem, buildStreamRecord } from '../../helpers/factories';

const change = (eventName: string, newItem?: object, oldItem?: object): InboxChange => ({
  sequenceNumber: '1',
  eventName,
  ...(newItem ? { newItem } : {}),
  ...(oldItem ? { oldItem } : {}),
});

describe('readInboxChange', () => {
  it('unmarshalls the images of a stream record into plain items', () => {
    // Prepare
    const item = buildInboxItem({ resources: ['arn:aws:x'] });
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
    expect(typeof read.newItem?.routesVersion).toBe('number');
  });

  it('leaves out images the record does not carry', () => {
    const read = readInboxChange(
      buildStreamRecord({ eventName: 'INSERT', sequenceNumber: '7', newItem: buildInboxItem() }),
    );
    expect(read).not.toHaveProperty('oldItem');
  });
});

describe('decideChange', () => {
  it('routes a new event owned by this region', () => {
    const item = buildInboxItem();
    expect(decideChange(change('INSERT', item), 'us-east-1')).toEqual({ action: 'route', item });
  });

  it('ignores a new event replicated from its owner in another region', () => {
    expect(decideChange(change('INSERT', buildInboxItem({ owner: 'eu-west-1' })), 'us-east-1')).toEqual({
      action: 'ignore',
    });
  });

  it('counts a duplicate when a replicated overwrite changes the home of an event this region owned', () => {
    // Prepare
    const mine = buildInboxItem({ home: 'us-east-1', owner: 'us-east-1' });
    const theirs = buildInboxItem({ home: 'eu-west-1', owner: 'eu-west-1' });

    // Act
    const action = decideChange(change('MODIFY', theirs, mine), 'us-east-1');

    // Assess
    expect(action).toEqual({ action: 'count-duplicate', id: mine.id, homes: ['eu-west-1', 'us-east-1'] });
  });

  it('ignores a home change between two other regions', () => {
    const action = decideChange(
      change('MODIFY', buildInboxItem({ home: 'eu-west-1', owner: 'eu-west-1' }), buildInboxItem()),
      'ap-southeast-2',
    );
    expect(action).toEqual({ action: 'ignore' });
  });

  it('routes an event whose ownership moved to this region', () => {
    // Prepare
    const before = buildInboxItem({ home: 'ap-southeast-2', owner: 'ap-southeast-2' });
    const after = { ...before, owner: 'us-east-1' };

    // Act
    const action = decideChange(change('MODIFY', after, before), 'us-east-1');

    // Assess
    expect(action).toEqual({ action: 'route', item: after });
  });

  it('ignores a modification that leaves ownership where it was', () => {
    const item = buildInboxItem();
    expect(decideChange(change('MODIFY', { ...item, receivedAt: 'later' }, item), 'us-east-1')).toEqual({
      action: 'ignore',
    });
  });

  it('ignores a removal (TTL expiry)', () => {
    expect(decideChange(change('REMOVE', undefined, buildInboxItem()), 'us-east-1')).toEqual({ action: 'ignore' });
  });
});
