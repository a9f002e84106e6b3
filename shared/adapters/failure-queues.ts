import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { FailureQueue } from '../domain/redrive/resolve-message';
import { storeError } from './aws-errors';

/** One message as received, with the handle that deletes it or hands it back. */
export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** String message attributes (EventBridge DLQ messages carry ERROR_CODE, ERROR_MESSAGE, RULE_ARN...). */
  attributes: Record<string, string>;
  sentAt?: string;
  receiveCount: number;
}

/** The region's failure queues: the ingest DLQ, the ingest on-failure queue and the route on-failure queue. */
export interface FailureQueues {
  /** Receives up to `max` (≤ 10) messages, hidden from other readers for `visibilitySeconds`. */
  receive(queue: FailureQueue, max: number, visibilitySeconds: number): Promise<QueueMessage[]>;
  delete(queue: FailureQueue, receiptHandle: string): Promise<void>;
  /** Makes a received message visible again at once (it was only looked at, or could not be redriven). */
  release(queue: FailureQueue, receiptHandle: string): Promise<void>;
  /** Approximate number of visible messages. */
  depth(queue: FailureQueue): Promise<number>;
}

/** Creates the adapter; `queueName` maps a failure queue to its physical name (stages/lib/deployment-settings QUEUES). */
export const createFailureQueues = ({
  client,
  queueName,
}: {
  client: SQSClient;
  queueName: (queue: FailureQueue) => string;
}): FailureQueues => {
  const urls = new Map<FailureQueue, Promise<string>>();
  const urlOf = (queue: FailureQueue): Promise<string> => {
    let url = urls.get(queue);
    if (!url) {
      url = client
        .send(new GetQueueUrlCommand({ QueueName: queueName(queue) }))
        .then((out) => out.QueueUrl ?? Promise.reject(new Error(`no URL for ${queueName(queue)}`)));
      url.catch(() => urls.delete(queue));
      urls.set(queue, url);
    }
    return url;
  };
  const call = async <T>(queue: FailureQueue, operation: string, run: (url: string) => Promise<T>): Promise<T> => {
    try {
      return await run(await urlOf(queue));
    } catch (error) {
      throw storeError(queueName(queue), operation, error);
    }
  };
  return {
    receive: (queue, max, visibilitySeconds) =>
      call(queue, 'ReceiveMessage', async (QueueUrl) => {
        const out = await client.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
            VisibilityTimeout: visibilitySeconds,
            WaitTimeSeconds: 0,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
          }),
        );
        return (out.Messages ?? []).map((m): QueueMessage => ({
          messageId: m.MessageId ?? '',
          receiptHandle: m.ReceiptHandle ?? '',
          body: m.Body ?? '',
          attributes: Object.fromEntries(
            Object.entries(m.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? '']),
          ),
          ...(m.Attributes?.SentTimestamp
            ? { sentAt: new Date(Number(m.Attributes.SentTimestamp)).toISOString() }
            : {}),
          receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
        }));
      }),
    delete: (queue, ReceiptHandle) =>
      call(queue, 'DeleteMessage', async (QueueUrl) => {
        await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
      }),
    release: (queue, ReceiptHandle) =>
      call(queue, 'ChangeMessageVisibility', async (QueueUrl) => {
        await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 }));
      }),
    depth: (queue) =>
      call(queue, 'GetQueueAttributes', async (QueueUrl) => {
        const out = await client.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0);
      }),
  };
};
