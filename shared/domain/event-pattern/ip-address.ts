// event-ruler only treats text shaped like these as an address; anything else stays a plain string.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const IPV6_GROUP_COUNT = 8;

/** True when text has the shape of an IPv4 or IPv6 literal (it may still be an invalid one). */
export const looksLikeIpAddress = (text: string): boolean => IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);

const parseIpv4 = (text: string): number[] | undefined => {
  const octets = text.split('.').map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
};

const parseGroups = (text: string): number[] | undefined => {
  if (text === '') return [];
  const groups = text.split(':');
  return groups.every((group) => IPV6_GROUP.test(group)) ? groups.map((group) => parseInt(group, 16)) : undefined;
};

const expandGroups = (text: string): number[] | undefined => {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = IPV6_GROUP_COUNT - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
};

const isIpv4Mapped = (bytes: readonly number[]): boolean =>
  bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

const parseIpv6 = (text: string): number[] | undefined => {
  const groups = expandGroups(text);
  if (groups === undefined) return undefined;
  const bytes = groups.flatMap((group) => [group >> 8, group & 0xff]);
  // Java's InetAddress (which event-ruler uses) turns ::ffff:a.b.c.d into the IPv4 address itself.
  return isIpv4Mapped(bytes) ? bytes.slice(12) : bytes;
};

/** Parses an IPv4 or IPv6 literal into its 4 or 16 bytes; undefined when it is not one. */
export const parseIpAddress = (text: string): readonly number[] | undefined => {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return undefined;
};

/** Orders two addresses of the same family byte by byte. */
export const compareAddresses = (left: readonly number[], right: readonly number[]): number => {
  for (let index = 0; index < left.length; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
};
