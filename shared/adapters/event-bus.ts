import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { OutboundEntry } from '../domain/delivery/outbound-entry';
import type { PutEventsResultEntry } from '../domain/delivery/classify-result';
import { BusCallFailedError } from '../domain/infrastructure-errors';
import { errorCodeOf, isRetryableAwsError, isThrottlingError } from './aws-errors';

export interface EventBusPublisher {
  /** Sends one PutEvents call (≤ 10 entries) to a region; per-entry failures come back in the result, not as throws. */
  putEvents(region: string, entries: readonly OutboundEntry[]): Promise<PutEventsResultEntry[]>;
}

/** The EventBridge adapter: one client per target region; whole-call failures become BusCallFailedError. */
export const createEventBusPublisher = ({
  clientFor,
}: {
  clientFor: (region: string) => EventBridgeClient;
}): EventBusPublisher => ({
  async putEvents(region, entries) {
    try {
      const result = await clientFor(region).send(
        new PutEventsCommand({ Entries: entries.map(({ size: _size, ...entry }) => entry) }),
      );
      return result.Entries ?? [];
    } catch (error) {
      const retryable = isRetryableAwsError(error);
      throw new BusCallFailedError(
        region,
        retryable,
        errorCodeOf(error),
        error,
        retryable && !isThrottlingError(error),
      );
    }
  },
});
