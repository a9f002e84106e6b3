import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../shared/domain/event-pattern';

const inCidr = (cidr: string, value: unknown): boolean =>
  compileEventPattern({ detail: { sourceIPAddress: [{ cidr }] } }).matches({ detail: { sourceIPAddress: value } });

describe('cidr', () => {
  it('matches IPv4 addresses inside the block, edges included', () => {
    expect(inCidr('10.0.0.0/24', '10.0.0.0')).toBe(true);
    expect(inCidr('10.0.0.0/24', '10.0.0.33')).toBe(true);
    expect(inCidr('10.0.0.0/24', '10.0.0.255')).toBe(true);
  });

  it('does not match IPv4 addresses outside the block', () => {
    expect(inCidr('10.0.0.0/24', '10.0.1.0')).toBe(false);
    expect(inCidr('10.0.0.0/24', '9.255.255.255')).toBe(false);
  });

  it('handles masks that do not fall on a byte boundary', () => {
    expect(inCidr('192.168.0.0/23', '192.168.1.200')).toBe(true);
    expect(inCidr('192.168.0.0/23', '192.168.2.1')).toBe(false);
  });

  it('matches every IPv4 address with /0', () => {
    expect(inCidr('0.0.0.0/0', '255.255.255.255')).toBe(true);
  });

  it('matches IPv6 addresses inside the block, in any spelling', () => {
    expect(inCidr('2001:db8::/32', '2001:db8:85a3::8a2e:370:7334')).toBe(true);
    expect(inCidr('2001:db8::/32', '2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe(true);
    expect(inCidr('2001:db8::/32', '2001:db9::1')).toBe(false);
  });

  it('never matches an address of the other family', () => {
    expect(inCidr('10.0.0.0/8', '::1')).toBe(false);
    expect(inCidr('::/0', '10.0.0.1')).toBe(false);
  });

  it('ignores values that are not IP address strings', () => {
    expect(inCidr('10.0.0.0/8', 'not-an-ip')).toBe(false);
    expect(inCidr('10.0.0.0/8', 167772161)).toBe(false);
    expect(inCidr('10.0.0.0/8', null)).toBe(false);
  });

  // event-ruler builds the range from the address as written, without clearing the host bits.
  it('starts the range at the written address when host bits are set, as AWS does', () => {
    expect(inCidr('10.0.0.5/24', '10.0.0.200')).toBe(true);
    expect(inCidr('10.0.0.5/24', '10.0.0.1')).toBe(false);
  });

  it('matches any element of an event array inside the block', () => {
    expect(inCidr('10.0.0.0/24', ['192.168.0.1', '10.0.0.7'])).toBe(true);
  });

  // Java's InetAddress, which event-ruler relies on, reads an IPv4-mapped IPv6 address as the IPv4 address.
  it('treats an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(inCidr('10.0.0.0/8', '::ffff:a00:1')).toBe(true);
  });
});
