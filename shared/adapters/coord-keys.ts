import { InvalidLeaseKeyError, MalformedCoordItemError } from '../domain/ownership/ownership-errors';
import type { Versioned } from '../domain/ownership/register';

/**
 * Where the quorum store keeps its items in each region's `coord` table: every key name, prefix and
 * attribute the adapter reads or writes, in one place.
 */
export const COORD_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Partition of the leases; the sort key is `<zone>#<home>`. */
  leasePartition: 'lease',
  /** Partition of the versioned registers (active routes pointer, fences); the sort key is the register's name. */
  registerPartition: 'register',
  leaseKeySeparator: '#',
  attributes: {
    holder: 'holder',
    epoch: 'epoch',
    expiresAt: 'expiresAt',
    version: 'version',
    value: 'value',
  },
} as const;

/** The coord-table key of the lease on (zone, home). */
export const leaseItemKey = (zone: string, home: string): Record<string, string> => {
  const separator = COORD_KEYS.leaseKeySeparator;
  if (!zone || !home || zone.includes(separator) || home.includes(separator))
    throw new InvalidLeaseKeyError(zone, home);
  return { [COORD_KEYS.partitionKey]: COORD_KEYS.leasePartition, [COORD_KEYS.sortKey]: `${zone}${separator}${home}` };
};

/** The coord-table key of the register called `name`. */
export const registerItemKey = (name: string): Record<string, string> => {
  if (!name) throw new RangeError('A register needs a non-empty name');
  return { [COORD_KEYS.partitionKey]: COORD_KEYS.registerPartition, [COORD_KEYS.sortKey]: name };
};

/** The versioned value a register item holds; an item without both is malformed. */
export const registerOf = (item: Record<string, unknown>): Versioned<unknown> => {
  const { version, value } = COORD_KEYS.attributes;
  if (typeof item[version] !== 'number' || !(value in item)) throw new MalformedCoordItemError(item);
  return { version: item[version], value: item[value] };
};
