import { describe, expect, it } from 'vitest';
import { entrySize } from '../../../shared/domain/ingest/event-size';

describe('entrySize', () => {
  it('counts 14 bytes for Time plus the bytes of source, detail-type, detail and each resource', () => {
    const size = entrySize({ source: 'abc', detailType: 'de', detail: '{}', resources: ['r1', 'r22'], hasTime: true });
    expect(size).toBe(14 + 3 + 2 + 2 + 2 + 3);
  });

  it('counts nothing for Time when it is not set', () => {
    const size = entrySize({ source: 'abc', detailType: 'de', detail: '{}', resources: [], hasTime: false });
    expect(size).toBe(7);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const size = entrySize({ source: 's', detailType: 't', detail: '{"n":"é€😀"}', resources: ['ü'], hasTime: false });
    expect(size).toBe(1 + 1 + (8 + 2 + 3 + 4) + 2);
  });
});
