/**
 * Why one call to a target failed. `code` is one of the ERROR_CODE values AWS writes on
 * DLQ messages; only retryable failures (AWS: 5xx and 429 from the target) are retried.
 */
export class DeliveryFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}
