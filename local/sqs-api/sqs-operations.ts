import { createHash } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../aws/credentials';
import { ReceiptHandleError, type QueuedMessage, type QueueStore } from '../queues/queue-store';

/** An SQS error as the JSON protocol carries it: `__type`, the query-compatible code, and who is at fault. */
export class SqsApiError extends Error {
  constructor(
    readonly type: string,
    readonly queryCode: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'SqsApiError';
  }
}

/** What every operation gets: the store, the region the request was signed for, and how to spell queue URLs. */
export interface SqsContext {
  queues: QueueStore;
  region: string;
  endpoint: string;
}

type Input = Record<string, unknown>;
type Operation = (input: Input, ctx: SqsContext) => Promise<Record<string, unknown>> | Record<string, unknown>;

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
const DEFAULT_VISIBILITY_SECONDS = 30;

const stringOf = (input: Input, field: string): string => {
  const value = input[field];
  if (typeof value !== 'string' || value === '')
    throw new SqsApiError('MissingParameter', 'MissingParameter', `The request must contain the parameter ${field}.`);
  return value;
};

const integerOf = (input: Input, field: string, fallback: number, min: number, max: number): number => {
  const value = input[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new SqsApiError(
      'InvalidParameterValue',
      'InvalidParameterValue',
      `Value ${JSON.stringify(value)} for parameter ${field} is invalid. Reason: must be between ${min} and ${max}.`,
    );
  return value;
};

/** The queue a URL names (`<endpoint>/<account>/<name>`); the region comes from the request's signature. */
const queueOf = (input: Input): string => {
  const url = stringOf(input, 'QueueUrl');
  const name = url.split('/').filter(Boolean).pop();
  if (!name)
    throw new SqsApiError(
      'QueueDoesNotExist',
      'AWS.SimpleQueueService.NonExistentQueue',
      'The specified queue does not exist.',
    );
  return name;
};

const asMessage = (m: QueuedMessage) => ({
  MessageId: m.messageId,
  ReceiptHandle: m.receiptHandle,
  MD5OfBody: md5(m.body),
  Body: m.body,
  Attributes: {
    SentTimestamp: String(Date.parse(m.sentAt)),
    ApproximateReceiveCount: String(m.receiveCount),
    ...(m.firstReceivedAt ? { ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt) } : {}),
  },
  ...(Object.keys(m.attributes).length > 0
    ? {
        MessageAttributes: Object.fromEntries(
          Object.entries(m.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
        ),
      }
    : {}),
});

const invalidHandle = (error: unknown): never => {
  if (error instanceof ReceiptHandleError)
    throw new SqsApiError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', error.message);
  throw error;
};

/** The operations the local SQS endpoint serves, by `X-Amz-Target` suffix. */
export const SQS_OPERATIONS: Readonly<Record<string, Operation>> = {
  GetQueueUrl: (input, ctx) => ({ QueueUrl: `${ctx.endpoint}/${LOCAL_ACCOUNT_ID}/${stringOf(input, 'QueueName')}` }),
  SendMessage: (input, ctx) => {
    const body = stringOf(input, 'MessageBody');
    const attributes = Object.fromEntries(
      Object.entries((input.MessageAttributes ?? {}) as Record<string, { StringValue?: string }>).map(([k, v]) => [
        k,
        v.StringValue ?? '',
      ]),
    );
    const message = ctx.queues.send(
      `arn:aws:sqs:${ctx.region}:${LOCAL_ACCOUNT_ID}:${queueOf(input)}`,
      body,
      attributes,
    );
    return { MessageId: message.messageId, MD5OfMessageBody: md5(body) };
  },
  ReceiveMessage: async (input, ctx) => {
    const queue = queueOf(input);
    const max = integerOf(input, 'MaxNumberOfMessages', 1, 1, 10);
    const visibility = integerOf(input, 'VisibilityTimeout', DEFAULT_VISIBILITY_SECONDS, 0, MAX_VISIBILITY_SECONDS);
    const deadline = Date.now() + integerOf(input, 'WaitTimeSeconds', 0, 0, MAX_WAIT_SECONDS) * 1000;
    for (;;) {
      const received = ctx.queues.receive(ctx.region, queue, max, visibility * 1000);
      // An empty answer has no Messages member, as SQS sends it.
      if (received.length > 0) return { Messages: received.map(asMessage) };
      if (Date.now() >= deadline) return {};
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  },
  DeleteMessage: (input, ctx) => {
    try {
      ctx.queues.delete(ctx.region, queueOf(input), stringOf(input, 'ReceiptHandle'));
    } catch (error) {
      invalidHandle(error);
    }
    return {};
  },
  DeleteMessageBatch: (input, ctx) => {
    const queue = queueOf(input);
    const entries = (input.Entries ?? []) as { Id?: string; ReceiptHandle?: string }[];
    const Successful: { Id: string }[] = [];
    const Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
    for (const entry of entries) {
      try {
        ctx.queues.delete(ctx.region, queue, entry.ReceiptHandle ?? '');
        Successful.push({ Id: entry.Id ?? '' });
      } catch (error) {
        Failed.push({ Id: entry.Id ?? '', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: String(error) });
      }
    }
    return { Successful, Failed };
  },
  ChangeMessageVisibility: (input, ctx) => {
    try {
      const visibility = integerOf(input, 'VisibilityTimeout', 0, 0, MAX_VISIBILITY_SECONDS);
      ctx.queues.changeVisibility(ctx.region, queueOf(input), stringOf(input, 'ReceiptHandle'), visibility * 1000);
    } catch (error) {
      invalidHandle(error);
    }
    return {};
  },
  GetQueueAttributes: (input, ctx) => {
    const queue = queueOf(input);
    const { visible, inFlight } = ctx.queues.depth(ctx.region, queue);
    return {
      Attributes: {
        ApproximateNumberOfMessages: String(visible),
        ApproximateNumberOfMessagesNotVisible: String(inFlight),
        QueueArn: `arn:aws:sqs:${ctx.region}:${LOCAL_ACCOUNT_ID}:${queue}`,
      },
    };
  },
};
