import { rejectPattern } from './invalid-event-pattern-error';
import { compareAddresses, looksLikeIpAddress, parseIpAddress } from './ip-address';
import type { ValuePredicate } from './types';

interface AddressRange {
  readonly bottom: readonly number[];
  readonly top: readonly number[];
}

const requireAddress = (text: string): readonly number[] => {
  if (!looksLikeIpAddress(text)) return rejectPattern(`Nonstandard IP address: ${text}`);
  return parseIpAddress(text) ?? rejectPattern(`Invalid IP address: ${text}`);
};

const parseMaskBits = (text: string): number => {
  if (!/^[+-]?[0-9]+$/.test(text)) return rejectPattern('Malformed CIDR, mask bits must be an integer');
  const maskBits = Number(text);
  return maskBits < 0 ? rejectPattern('Malformed CIDR, mask bits must not be negative') : maskBits;
};

const requireMaskFits = (maskBits: number, addressLength: number): void => {
  // event-ruler rejects /32 and /128; a single address is written as a plain string value instead.
  if (addressLength === 4 && maskBits > 31) rejectPattern('IPv4 mask bits must be < 32');
  if (addressLength === 16 && maskBits > 127) rejectPattern('IPv6 mask bits must be < 128');
};

const setHostBits = (address: readonly number[], maskBits: number): number[] =>
  address.map((byte, index) => {
    const networkBitsInByte = Math.min(8, Math.max(0, maskBits - index * 8));
    return byte | (0xff >> networkBitsInByte);
  });

/** Parses CIDR notation; like event-ruler, the range starts at the address as written, unmasked. */
export const parseCidr = (text: string): AddressRange => {
  const parts = text.split('/');
  if (parts.length !== 2) return rejectPattern("Malformed CIDR, one '/' required");
  const [addressText = '', maskText = ''] = parts;
  const maskBits = parseMaskBits(maskText);
  const bottom = requireAddress(addressText);
  requireMaskFits(maskBits, bottom.length);
  return { bottom, top: setHostBits(bottom, maskBits) };
};

/** True when the text is an IP address of the range's family that lies inside the range. */
export const isAddressInRange = (range: AddressRange, text: string): boolean => {
  const address = parseIpAddress(text);
  return (
    address !== undefined &&
    address.length === range.bottom.length &&
    compareAddresses(address, range.bottom) >= 0 &&
    compareAddresses(address, range.top) <= 0
  );
};

/** Compiles the operand of `{"cidr": "..."}`; only string IP addresses in the event can satisfy it. */
export const compileCidr = (operand: unknown): ValuePredicate => {
  if (typeof operand !== 'string') return rejectPattern('cidr match pattern must be a string');
  const range = parseCidr(operand);
  return (value) => typeof value === 'string' && isAddressInRange(range, value);
};
