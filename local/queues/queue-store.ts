import { randomUUID } from 'node:crypto';

/** A message that reached a local SQS queue ARN: a rule target, a DLQ, or an on-failure destination. */
export interface QueuedMessage {
  queueArn: string;
  region: string;
  queueName: string;
  body: string;
  attributes: Record<string, string>;
  sentAt: string;
  messageId: string;
  /** How many times it was received. */
  receiveCount: number;
  /** Epoch ms before which a receive does not return it (a reader holds it). */
  visibleAt: number;
  /** The handle of the latest receive: the only one that deletes it or changes its visibility. */
  receiptHandle?: string;
  firstReceivedAt?: number;
}

/** A receipt handle that names no received message (deleted, or received again since). */
export class ReceiptHandleError extends Error {
  constructor(handle: string) {
    super(`The receipt handle "${handle.slice(0, 40)}" is not valid for this queue.`);
    this.name = 'ReceiptHandleError';
  }
}

/**
 * Stands in for SQS: every message addressed to an `arn:aws:sqs:<region>:<account>:<name>` ARN is
 * kept here, with an id, a receipt handle per receive and a visibility timeout, so the local SQS
 * endpoint (local/sqs-api) can serve it to the real SDK and tests can inspect it.
 */
export class QueueStore {
  private readonly messages: QueuedMessage[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  send(queueArn: string, body: string, attributes: Record<string, string> = {}): QueuedMessage {
    const { region, name } = parseQueueArn(queueArn);
    const message: QueuedMessage = {
      queueArn,
      region,
      queueName: name,
      body,
      attributes,
      sentAt: this.now().toISOString(),
      messageId: randomUUID(),
      receiveCount: 0,
      visibleAt: 0,
    };
    this.messages.push(message);
    return message;
  }

  /** Every message still in the queue (received or not), oldest first. */
  list(filter: { region?: string; queueName?: string } = {}): QueuedMessage[] {
    return this.messages.filter(
      (m) =>
        (filter.region === undefined || m.region === filter.region) &&
        (filter.queueName === undefined || m.queueName === filter.queueName),
    );
  }

  /** Receives up to `max` visible messages, oldest first, hiding each for `visibilityMs`. */
  receive(region: string, queueName: string, max: number, visibilityMs: number): QueuedMessage[] {
    const now = this.now().getTime();
    const visible = this.list({ region, queueName }).filter((m) => m.visibleAt <= now);
    return visible.slice(0, max).map((m) => {
      m.receiveCount += 1;
      m.firstReceivedAt ??= now;
      m.receiptHandle = `${m.messageId}#${randomUUID()}`;
      m.visibleAt = now + visibilityMs;
      return { ...m };
    });
  }

  /** Deletes the message a receipt handle names; deleting one already gone is not an error (as in SQS). */
  delete(region: string, queueName: string, receiptHandle: string): void {
    const index = this.messages.findIndex(
      (m) => m.region === region && m.queueName === queueName && m.receiptHandle === receiptHandle,
    );
    if (index >= 0) this.messages.splice(index, 1);
    else if (!receiptHandle.includes('#')) throw new ReceiptHandleError(receiptHandle);
  }

  /** Hides (or, with 0, shows again) a received message from now on. */
  changeVisibility(region: string, queueName: string, receiptHandle: string, visibilityMs: number): void {
    const message = this.messages.find(
      (m) => m.region === region && m.queueName === queueName && m.receiptHandle === receiptHandle,
    );
    if (!message) throw new ReceiptHandleError(receiptHandle);
    message.visibleAt = this.now().getTime() + visibilityMs;
  }

  /** Messages visible now, and messages a reader holds. */
  depth(region: string, queueName: string): { visible: number; inFlight: number } {
    const now = this.now().getTime();
    const all = this.list({ region, queueName });
    const visible = all.filter((m) => m.visibleAt <= now).length;
    return { visible, inFlight: all.length - visible };
  }

  clear(): void {
    this.messages.length = 0;
  }
}

/** Splits `arn:aws:sqs:us-east-1:000000000000:name` into its region and queue name. */
export const parseQueueArn = (arn: string): { region: string; name: string } => {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[2] !== 'sqs' || !parts[3] || !parts[5]) {
    throw new RangeError(`Not an SQS queue ARN: ${arn} (expected arn:aws:sqs:<region>:<account>:<name>)`);
  }
  return { region: parts[3], name: parts[5] };
};
