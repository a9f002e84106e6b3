import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalPrincipal } from '../aws/principals';
import { readBody, send } from './http-io';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** Query-protocol bodies are small; anything past this is not a GetCallerIdentity call. */
const MAX_QUERY_BODY_BYTES = 65_536;

/**
 * Serves STS over the Query protocol: `GetCallerIdentity`, from a form-encoded POST body or the
 * query string of a presigned GET, answered in STS's XML. Other actions answer `InvalidAction`.
 */
export const serveSts = async (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  caller: LocalPrincipal,
  requestId: string,
): Promise<void> => {
  const body = req.method === 'POST' ? await readBody(req, MAX_QUERY_BODY_BYTES) : Buffer.alloc(0);
  const params = new URLSearchParams(body?.toString('utf8') ?? '');
  const action = params.get('Action') ?? url.searchParams.get('Action');
  if (action !== 'GetCallerIdentity') {
    return sendStsError(
      res,
      requestId,
      400,
      'InvalidAction',
      `Could not find operation ${action ?? '(none)'} for version 2011-06-15`,
    );
  }
  send(
    res,
    200,
    { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
    [
      `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}">`,
      '  <GetCallerIdentityResult>',
      `    <Arn>${escapeXml(caller.arn)}</Arn>`,
      `    <UserId>${escapeXml(caller.userId)}</UserId>`,
      `    <Account>${caller.accountId}</Account>`,
      '  </GetCallerIdentityResult>',
      '  <ResponseMetadata>',
      `    <RequestId>${requestId}</RequestId>`,
      '  </ResponseMetadata>',
      '</GetCallerIdentityResponse>',
      '',
    ].join('\n'),
  );
};

/** STS's XML error document, which botocore and the JS SDK both parse. */
export const sendStsError = (
  res: ServerResponse,
  requestId: string,
  status: number,
  code: string,
  message: string,
): void =>
  send(
    res,
    status,
    { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId },
    `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`,
  );

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
