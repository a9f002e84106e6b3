import { describe, expect, it } from 'vitest';
import { readTrace, TRACE_PREFIX } from '../../../shared/domain/ingest/trace-namespace';

describe('readTrace', () => {
  it('keeps a producer’s own resources untouched and reads zero hops', () => {
    const resources = ['arn:aws:s3:::bucket', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1'];
    expect(readTrace(resources)).toEqual({ hops: 0, resources, stripped: 0 });
  });

  it('strips every switchyard: entry, whatever follows the prefix, and counts them', () => {
    // Prepare
    const resources = [
      'switchyard:key:k1["com.switchyard.orders","s:o-1"]',
      'arn:aws:s3:::bucket',
      'switchyard:',
      'switchyard:epoch:us-east-1:4',
      'switchyard:replay:job-1',
    ];

    // Act
    const trace = readTrace(resources);

    // Assess
    expect(trace).toEqual({ hops: 0, resources: ['arn:aws:s3:::bucket'], stripped: 4 });
  });

  it('keeps a resource that only mentions switchyard somewhere other than at the start', () => {
    const resources = ['arn:aws:events:us-east-1:1:rule/switchyard:hop:9', 'SWITCHYARD:hop:9'];
    expect(readTrace(resources)).toEqual({ hops: 0, resources, stripped: 0 });
  });

  it('reads the largest hop count among the entries', () => {
    expect(readTrace(['switchyard:hop:2', 'switchyard:hop:7', 'switchyard:hop:1']).hops).toBe(7);
  });

  it('reads hop counts of up to four digits only, and strips longer ones all the same', () => {
    // Act
    const trace = readTrace(['switchyard:hop:9999', 'switchyard:hop:123456789012345678901234567890']);

    // Assess
    expect(trace.hops).toBe(9999);
    expect(trace.stripped).toBe(2);
  });

  it.each(['switchyard:hop:', 'switchyard:hop:-1', 'switchyard:hop:2x', 'switchyard:hop: 3'])(
    'reads no hops from the malformed entry %s',
    (entry) => {
      expect(readTrace([entry])).toEqual({ hops: 0, resources: [], stripped: 1 });
    },
  );

  it('names the prefix Switchyard owns', () => {
    expect(TRACE_PREFIX).toBe('switchyard:');
  });
});
