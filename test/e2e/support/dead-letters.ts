import type { QueuedMessage } from '../../../local/queues/queue-store';

/** Whether a dead-lettered message carries this workload key (as a JSON string value, possibly inside an encoded detail). */
export const carries = (body: string, key: string): boolean =>
  body.includes(`"${key}"`) || body.includes(`\\"${key}\\"`);

/** Why EventBridge gave up on a message, as its DLQ attributes say (ERROR_CODE: ERROR_MESSAGE). */
export const deadLetterReason = (message: QueuedMessage): string =>
  `${message.attributes.ERROR_CODE ?? '?'}: ${(message.attributes.ERROR_MESSAGE ?? '').slice(0, 200)}`;
