import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaApiHarness } from './lambda-api-harness';

let harness: Awaited<ReturnType<typeof startLambdaApiHarness>>;

beforeAll(async () => {
  harness = await startLambdaApiHarness();
});

afterAll(async () => {
  await harness?.server.stop();
});

const invoke = (functionName: string, payload: unknown, headers: Record<string, string> = {}) =>
  harness.send({
    method: 'POST',
    path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

describe('local Lambda Invoke endpoint', () => {
  it('runs a RequestResponse invocation in the region of the signature and answers 200 with the result', async () => {
    const response = await invoke('echo', { orderId: 'o-1' });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(await response.json()).toEqual({ region: 'eu-west-1', event: { orderId: 'o-1' } });
  });

  it('accepts the function ARN, and refuses one from another region as not found', async () => {
    const here = await invoke('arn:aws:lambda:eu-west-1:000000000000:function:echo', {});
    const elsewhere = await invoke('arn:aws:lambda:us-east-1:000000000000:function:echo', {});

    expect(here.status).toBe(200);
    expect(elsewhere.status).toBe(404);
  });

  it('answers a handler error with 200, X-Amz-Function-Error Unhandled and the error payload', async () => {
    const response = await invoke('fails', {});

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(await response.json()).toEqual({ errorType: 'PaymentDeclinedError', errorMessage: 'card declined' });
  });

  it('answers an Event invocation with 202 and runs it in the background', async () => {
    const before = harness.invoker.calls.length;

    const response = await invoke('echo', { async: true }, { 'x-amz-invocation-type': 'Event' });

    expect(response.status).toBe(202);
    await expect.poll(() => harness.invoker.calls.slice(before).map((c) => c.payload)).toEqual([{ async: true }]);
  });

  it('answers a DryRun with 204 without invoking', async () => {
    const before = harness.invoker.calls.length;

    const response = await invoke('echo', {}, { 'x-amz-invocation-type': 'DryRun' });

    expect(response.status).toBe(204);
    expect(harness.invoker.calls.length).toBe(before);
  });

  it("returns the invocation's log lines, base64, in X-Amz-Log-Result when asked for the tail", async () => {
    const response = await invoke('chatty', {}, { 'x-amz-log-type': 'Tail' });

    const log = Buffer.from(response.headers.get('x-amz-log-result') ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/^START RequestId: \S+ Version: \$LATEST\n/);
    expect(log).toContain('{"level":"INFO","message":"working"}\n{"level":"INFO","message":"done"}\nEND RequestId:');
    expect(log).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms/);
  });

  it('answers 404 ResourceNotFoundException in the Lambda error shape for an unknown function', async () => {
    const response = await invoke('missing', {});

    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await response.json()).toEqual({
      Type: 'User',
      Message: 'Function not found: arn:aws:lambda:eu-west-1:000000000000:function:missing',
    });
  });

  it('refuses a payload over 6 MB with 413 RequestTooLargeException and one that is not JSON with 400', async () => {
    const tooLarge = await invoke('echo', JSON.stringify({ blob: 'x'.repeat(6_291_456) }));
    const notJson = await invoke('echo', '{"unterminated": ');

    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
  });

  it('refuses an unsigned request with 403, since the region comes from the signature', async () => {
    const response = await fetch(`${harness.server.endpoint}/2015-03-31/functions/echo/invocations`, {
      method: 'POST',
      body: '{}',
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('local STS GetCallerIdentity', () => {
  const identityOf = (xml: string) => ({
    arn: /<Arn>(.*)<\/Arn>/.exec(xml)?.[1],
    userId: /<UserId>(.*)<\/UserId>/.exec(xml)?.[1],
    account: /<Account>(.*)<\/Account>/.exec(xml)?.[1],
  });

  it('names the principal of the access key id in the XML AWS answers with', async () => {
    const post = (accessKeyId: string) =>
      harness.send(
        {
          method: 'POST',
          path: '/',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'Action=GetCallerIdentity&Version=2011-06-15',
        },
        { service: 'sts', region: 'us-east-1', accessKeyId },
      );

    const [role, user, fn, other] = await Promise.all(
      ['role-operator', 'user-alice', 'fn-ap-southeast-2', 'switchyardlocal'].map(async (key) => post(key)),
    );
    const roleXml = await role?.text();

    expect(role?.status).toBe(200);
    expect(roleXml).toMatch(/^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
    expect(roleXml).toMatch(/<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>/);
    expect(identityOf(roleXml ?? '')).toEqual({
      arn: 'arn:aws:iam::000000000000:role/operator',
      userId: expect.stringMatching(/^AROA[0-9A-F]{17}$/),
      account: '000000000000',
    });
    expect(identityOf((await user?.text()) ?? '').arn).toBe('arn:aws:iam::000000000000:user/alice');
    expect(identityOf((await fn?.text()) ?? '')).toMatchObject({
      arn: 'arn:aws:sts::000000000000:assumed-role/switchyard-local-functions/ap-southeast-2',
      userId: expect.stringMatching(/^AROA[0-9A-F]{17}:ap-southeast-2$/),
    });
    expect(identityOf((await other?.text()) ?? '').arn).toBe('arn:aws:iam::000000000000:user/local');
  });

  it('answers a presigned GET URL, as tokens built from one use it', async () => {
    const url = await harness.presignedUrl(
      { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      { region: 'us-east-1', accessKeyId: 'user-ci' },
    );

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(identityOf(await response.text()).arn).toBe('arn:aws:iam::000000000000:user/ci');
  });

  it('answers another STS action with the XML InvalidAction error', async () => {
    const response = await harness.send(
      { method: 'POST', path: '/', body: 'Action=AssumeRole&Version=2011-06-15' },
      { service: 'sts', region: 'us-east-1' },
    );

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidAction</Code>');
  });
});
