import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../shared/domain/event-pattern';

// Patterns and events from the Amazon EventBridge User Guide, kept as JSON text to mirror the guide.
const ec2Event = JSON.parse(`{
  "version": "0",
  "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "111122223333",
  "time": "2017-12-22T18:43:48Z",
  "region": "us-west-1",
  "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  "detail": { "instance-id": "i-1234567890abcdef0", "state": "terminated" }
}`) as Record<string, unknown>;

const contentFilteringEvent = JSON.parse(`{
  "version": "0",
  "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "012345679012",
  "time": "2017-10-02T16:24:49Z",
  "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  "detail": {
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.33",
    "instance-id": "i-000000aaaaaa00000",
    "state": "running"
  }
}`) as Record<string, unknown>;

const withDetail = (detail: Record<string, unknown>) => ({ ...contentFilteringEvent, detail });

describe('EventBridge User Guide examples', () => {
  it('selects EC2 instance-termination events', () => {
    const pattern = compileEventPattern(`{
      "source": ["aws.ec2"],
      "detail-type": ["EC2 Instance State-change Notification"],
      "detail": { "state": ["terminated"] }
    }`);

    expect(pattern.matches(ec2Event)).toBe(true);
    expect(pattern.matches({ ...ec2Event, detail: { state: 'running' } })).toBe(false);
  });

  it('matches the complex example combining prefix, anything-but, numeric and a list exclusion', () => {
    const pattern = compileEventPattern(`{
      "time": [ { "prefix": "2017-10-02" } ],
      "detail": {
        "state": [ { "anything-but": "initializing" } ],
        "c-count": [ { "numeric": [ ">", 0, "<=", 5 ] } ],
        "d-count": [ { "numeric": [ "<", 10 ] } ],
        "x-limit": [ { "anything-but": [ 100, 200, 300 ] } ]
      }
    }`);

    expect(pattern.matches(contentFilteringEvent)).toBe(true);
    expect(pattern.matches(withDetail({ ...(contentFilteringEvent.detail as object), 'c-count': 6 }))).toBe(false);
    expect(pattern.matches(withDetail({ ...(contentFilteringEvent.detail as object), state: 'initializing' }))).toBe(
      false,
    );
  });

  it('matches the numeric example including = 3.018e2 against 301.8', () => {
    const pattern = compileEventPattern(`{
      "detail": {
        "c-count": [ { "numeric": [ ">", 0, "<=", 5 ] } ],
        "d-count": [ { "numeric": [ "<", 10 ] } ],
        "x-limit": [ { "numeric": [ "=", 3.018e2 ] } ]
      }
    }`);

    expect(pattern.matches(contentFilteringEvent)).toBe(true);
  });

  it('matches the IP address example', () => {
    const pattern = compileEventPattern('{ "detail": { "source-ip": [ { "cidr": "10.0.0.0/24" } ] } }');

    expect(pattern.matches(contentFilteringEvent)).toBe(true);
  });

  it('matches the $or example across three numeric fields', () => {
    const pattern = compileEventPattern(`{
      "detail": {
        "$or": [
          { "c-count": [ { "numeric": [ ">", 0, "<=", 5 ] } ] },
          { "d-count": [ { "numeric": [ "<", 10 ] } ] },
          { "x-limit": [ { "numeric": [ "=", 3.018e2 ] } ] }
        ]
      }
    }`);

    expect(pattern.matches(withDetail({ 'x-limit': 301.8 }))).toBe(true);
    expect(pattern.matches(withDetail({ 'x-limit': 301.9 }))).toBe(false);
  });

  it('matches null and the empty string as in the empty-values example', () => {
    const event = { detail: { eventVersion: '', responseElements: null } };

    expect(compileEventPattern('{ "detail": { "eventVersion": [""] } }').matches(event)).toBe(true);
    expect(compileEventPattern('{ "detail": { "responseElements": [null] } }').matches(event)).toBe(true);
  });

  it('matches exists:false when c-count is an object rather than a leaf', () => {
    const pattern = compileEventPattern('{ "detail": { "c-count": [ { "exists": false } ] } }');

    expect(pattern.matches(withDetail({ state: 'running', 'c-count': { c1: 100 } }))).toBe(true);
    expect(pattern.matches(contentFilteringEvent)).toBe(false);
  });

  it('matches the ignore-case examples for prefix, suffix and equals', () => {
    const event = { detail: { service: 'EVENTBRIDGE', FileName: 'IMG.PNG', name: 'ALICE' } };

    expect(
      compileEventPattern('{"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}}').matches(event),
    ).toBe(true);
    expect(
      compileEventPattern('{"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}}').matches(event),
    ).toBe(true);
    expect(compileEventPattern('{"detail": {"name": [{"equals-ignore-case": "alice"}]}}').matches(event)).toBe(true);
  });

  it('matches the anything-but wildcard example', () => {
    const pattern = compileEventPattern('{"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}');

    expect(pattern.matches({ FilePath: '/usr/bin/bash' })).toBe(true);
    expect(pattern.matches({ FilePath: '/usr/lib/x.so' })).toBe(false);
  });

  it('matches the wildcard example for any png in a "dir" folder', () => {
    const pattern = compileEventPattern('{"FileName": [{"wildcard": "dir/*.png"}]}');

    expect(pattern.matches({ FileName: 'dir/pictures/cat.png' })).toBe(true);
    expect(pattern.matches({ FileName: 'other/cat.png' })).toBe(false);
  });
});
