import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials } from '../../../local/aws/credentials';
import { QueueStore } from '../../../local/queues/queue-store';
import { startSqsApiServer, type SqsApiServer } from '../../../local/sqs-api/sqs-api-server';

describe('local SQS endpoint (AWS JSON 1.0, as @aws-sdk/client-sqs speaks it)', () => {
  let server: SqsApiServer;
  let sqs: SQSClient;
  const queues = new QueueStore();

  beforeAll(async () => {
    server = await startSqsApiServer({ port: 0, queues });
    sqs = new SQSClient({ region: 'eu-west-1', endpoint: server.endpoint, credentials: localCredentials });
  });

  afterAll(async () => {
    sqs?.destroy();
    await server?.stop();
  });

  const urlOf = async (name: string): Promise<string> =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';

  it('serves what the emulators put into the queue store, with its attributes, and deletes it by receipt handle', async () => {
    // Prepare: an EventBridge DLQ message as the local EventBridge writes it.
    queues.send('arn:aws:sqs:eu-west-1:000000000000:dlq-a', '{"id":"e-1"}', { ERROR_CODE: 'Throttling' });
    const QueueUrl = await urlOf('dlq-a');
    // Act
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 30,
      }),
    );
    const [message] = received.Messages ?? [];
    const hidden = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
    // Assess
    expect(message?.Body).toBe('{"id":"e-1"}');
    expect(message?.MessageAttributes?.ERROR_CODE?.StringValue).toBe('Throttling');
    expect(hidden.Messages).toBeUndefined();
    expect(queues.list({ queueName: 'dlq-a' })).toEqual([]);
  });

  it('sends messages the SDK checks by MD5, counts them, and hands a received one back with visibility 0', async () => {
    // Prepare
    const QueueUrl = await urlOf('dlq-b');
    // Act
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'é ✓ body' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'second' }));
    const depth = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    const first = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 60 }),
    );
    const handle = first.Messages?.[0]?.ReceiptHandle;
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }));
    const again = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
    );
    const batch = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: (again.Messages ?? []).map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    // Assess
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(depth.Attributes?.ApproximateNumberOfMessages).toBe('2');
    expect(again.Messages?.map((m) => m.Body)).toEqual(['é ✓ body', 'second']);
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(batch.Successful).toHaveLength(2);
    expect(queues.list({ queueName: 'dlq-b' })).toEqual([]);
  });

  it('keeps regions apart: a queue name in another region is another queue', async () => {
    queues.send('arn:aws:sqs:us-east-1:000000000000:dlq-c', 'us only');
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: await urlOf('dlq-c'), MaxNumberOfMessages: 10 }),
    );
    expect(received.Messages).toBeUndefined();
  });

  it('refuses an unknown receipt handle with the typed SQS error', async () => {
    const QueueUrl = await urlOf('dlq-d');
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'forged' }))).rejects.toBeInstanceOf(
      ReceiptHandleIsInvalid,
    );
  });
});
