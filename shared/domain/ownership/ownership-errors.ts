import { DomainError } from '../errors';

/**
 * Every region that answered rejected the request itself (a validation error, a missing table), so no
 * quorum can ever form for it: a bug or a deployment mistake, not an outage to wait out.
 */
export class QuorumRequestRejectedError extends DomainError {
  readonly code = 'QuorumRequestRejected';

  constructor(
    readonly operation: string,
    readonly errorCodes: Readonly<Record<string, string>>,
  ) {
    super(
      `${operation} was rejected by every region that answered (${Object.entries(errorCodes)
        .map(([region, code]) => `${region}: ${code}`)
        .join(', ')}); fix the request or the coord tables.`,
    );
  }
}

/** A zone or home that cannot be part of a lease key, because the key joins them with `#`. */
export class InvalidLeaseKeyError extends DomainError {
  readonly code = 'InvalidLeaseKey';

  constructor(
    readonly zone: string,
    readonly home: string,
  ) {
    super(
      `A lease is named by a non-empty zone and home without '#', got zone ${JSON.stringify(zone)}, home ${JSON.stringify(home)}`,
    );
  }
}

/** An item in a coord table that is not a lease or register as this code writes them; its region counts as no answer. */
export class MalformedCoordItemError extends DomainError {
  readonly code = 'MalformedCoordItem';

  constructor(readonly item: Readonly<Record<string, unknown>>) {
    super(`Coord item ${JSON.stringify(item)} is not a lease or register this code can read`);
  }
}
