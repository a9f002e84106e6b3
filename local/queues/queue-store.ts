/** A message that reached a local SQS queue ARN: a rule target, a DLQ, or an on-failure destination. */
export interface QueuedMessage {
  queueArn: string;
  region: string;
  queueName: string;
  body: string;
  attributes: Record<string, string>;
  sentAt: string;
}

/**
 * Stands in for SQS: the local cloud has no queue service, so every message addressed to an
 * `arn:aws:sqs:<region>:<account>:<name>` ARN is recorded here for inspection.
 */
export class QueueStore {
  private readonly messages: QueuedMessage[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  send(queueArn: string, body: string, attributes: Record<string, string> = {}): QueuedMessage {
    const { region, name } = parseQueueArn(queueArn);
    const message = { queueArn, region, queueName: name, body, attributes, sentAt: this.now().toISOString() };
    this.messages.push(message);
    return message;
  }

  list(filter: { region?: string; queueName?: string } = {}): QueuedMessage[] {
    return this.messages.filter(
      (m) =>
        (filter.region === undefined || m.region === filter.region) &&
        (filter.queueName === undefined || m.queueName === filter.queueName),
    );
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
