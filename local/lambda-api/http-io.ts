import type { IncomingMessage, ServerResponse } from 'node:http';

/** Lambda's synchronous Invoke payload quota: 6 MB (6,291,456 bytes). */
export const MAX_PAYLOAD_BYTES = 6_291_456;

/** A Lambda REST API error: HTTP status, `x-amzn-ErrorType`, and a JSON body with `Type` and the message. */
export class LambdaApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The model names the message member `Message` for some errors (ResourceNotFoundException) and `message` for others. */
    readonly messageMember: 'message' | 'Message' = 'message',
    readonly type: 'User' | 'Service' = 'User',
  ) {
    super(message);
    this.name = 'LambdaApiError';
  }
}

/** Reads a request body; a body over `limit` is drained (so the client can read the answer) and reported as undefined. */
export const readBody = async (req: IncomingMessage, limit: number): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
};

/** Writes one answer unless the connection is already gone. */
export const send = (
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer = '',
): void => {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) });
  res.end(bytes);
};

/** Writes a Lambda REST API error the way the SDKs and the CLI parse it. */
export const sendLambdaError = (res: ServerResponse, requestId: string, error: LambdaApiError): void =>
  send(
    res,
    error.status,
    { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': error.code },
    JSON.stringify({ Type: error.type, [error.messageMember]: error.message }),
  );
