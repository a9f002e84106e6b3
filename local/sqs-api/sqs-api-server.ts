import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCredentialScope } from '../aws/sigv4';
import { readBody, send } from '../lambda-api/http-io';
import { listenOnLoopback } from '../net/loopback-http';
import type { QueueStore } from '../queues/queue-store';
import { SQS_OPERATIONS, SqsApiError } from './sqs-operations';

export interface SqsApiServerOptions {
  /** Loopback port; 0 or omitted picks a free one. */
  port?: number;
  queues: QueueStore;
}

export interface SqsApiServer {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** SQS takes messages up to 256 KiB; a request body is that plus the JSON around it. */
const MAX_BODY_BYTES = 1_048_576;
const TARGET_PREFIX = 'AmazonSQS.';

/**
 * Starts a minimal SQS endpoint over the local cloud's queue store, speaking the AWS JSON 1.0
 * protocol `@aws-sdk/client-sqs` uses (`X-Amz-Target: AmazonSQS.<Operation>`): GetQueueUrl,
 * SendMessage, ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility, GetQueueAttributes.
 * The region comes from the SigV4 credential scope; every queue name exists (the store creates a
 * queue on its first message), so the stage's failure queues are there before anything fails.
 */
export const startSqsApiServer = async (options: SqsApiServerOptions): Promise<SqsApiServer> => {
  let endpoint = '';
  const server = await listenOnLoopback((req, res) => void handle(req, res, options.queues, endpoint), options.port);
  endpoint = server.endpoint;
  return { endpoint, port: server.port, stop: server.close };
};

const handle = async (
  req: IncomingMessage,
  res: ServerResponse,
  queues: QueueStore,
  endpoint: string,
): Promise<void> => {
  const requestId = randomUUID();
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? SQS_OPERATIONS[target.slice(TARGET_PREFIX.length)] : undefined;
    if (req.method !== 'POST' || !operation)
      throw new SqsApiError(
        'UnsupportedOperation',
        'AWS.SimpleQueueService.UnsupportedOperation',
        `The local SQS endpoint does not serve ${target || `${req.method} ${req.url}`}.`,
      );
    const authorization = req.headers.authorization;
    const scope = parseCredentialScope(Array.isArray(authorization) ? authorization[0] : authorization);
    if (!scope)
      throw new SqsApiError(
        'MissingAuthenticationToken',
        'MissingAuthenticationToken',
        'Sign requests with SigV4 (any credentials): the region comes from the credential scope.',
        403,
      );
    const body = await readBody(req, MAX_BODY_BYTES);
    if (!body)
      throw new SqsApiError('RequestTooLarge', 'RequestTooLarge', `The request is over ${MAX_BODY_BYTES} bytes.`, 413);
    let input: unknown;
    try {
      input = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      throw new SqsApiError('InvalidParameterValue', 'InvalidParameterValue', 'The request body is not JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new SqsApiError(
        'InvalidParameterValue',
        'InvalidParameterValue',
        'The request body must be a JSON object.',
      );
    const output = await operation(input as Record<string, unknown>, { queues, region: scope.region, endpoint });
    send(
      res,
      200,
      { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId },
      JSON.stringify(output),
    );
  } catch (error) {
    const e =
      error instanceof SqsApiError ? error : new SqsApiError('InternalError', 'InternalError', String(error), 500);
    send(
      res,
      e.status,
      {
        'Content-Type': 'application/x-amz-json-1.0',
        'x-amzn-RequestId': requestId,
        'x-amzn-query-error': `${e.queryCode};${e.status >= 500 ? 'Receiver' : 'Sender'}`,
      },
      JSON.stringify({ __type: `com.amazonaws.sqs#${e.type}`, message: e.message }),
    );
  }
};
