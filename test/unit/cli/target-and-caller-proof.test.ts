import { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createLambdaAdminInvoker, presignCallerProof, type LambdaPort } from '../../../cli/admin-client';
import { CannotReachError, UsageError } from '../../../cli/cli-errors';
import { resolveTarget, type Target } from '../../../cli/target';
import { createCallerVerifier } from '../../../shared/services/admin/verify-caller';

const sha256 = new LambdaClient({ region: 'us-east-1' }).config.sha256;
const CREDENTIALS = { accessKeyId: 'AKIAOPERATOR', secretAccessKey: 'secret', sessionToken: 'tok+en/=' };
const AT = new Date('2026-11-30T10:00:00.000Z');

describe('where a run goes', () => {
  it('targets the local cloud by default, with local credentials when none are configured', () => {
    expect(resolveTarget({}, {})).toEqual({
      mode: 'local',
      endpoint: 'http://127.0.0.1:4020',
      region: 'us-east-1',
      stage: 'local',
      functionName: 'switchyard-local-admin',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  it('uses the configured credentials on the local cloud when the environment has some', () => {
    expect(resolveTarget({}, { AWS_ACCESS_KEY_ID: 'role-operator' }).credentials).toBeUndefined();
    expect(resolveTarget({}, { AWS_PROFILE: 'ops' }).credentials).toBeUndefined();
  });

  it("targets a deployed stage's admin function on AWS with --stage and --region, with the default chain", () => {
    expect(resolveTarget({ stage: 'prod', region: 'eu-west-1' }, {})).toEqual({
      mode: 'aws',
      region: 'eu-west-1',
      stage: 'prod',
      functionName: 'switchyard-prod-admin',
    });
    expect(resolveTarget({ stage: 'prod' }, { AWS_REGION: 'ap-southeast-2' }).region).toBe('ap-southeast-2');
  });

  it('keeps a stage on a local endpoint when --endpoint is given', () => {
    const target = resolveTarget({ stage: 'dev', endpoint: 'http://127.0.0.1:5020/' }, {});

    expect(target).toMatchObject({
      mode: 'local',
      endpoint: 'http://127.0.0.1:5020',
      functionName: 'switchyard-dev-admin',
    });
  });

  it('refuses an endpoint that is not a URL and a region that is not a region', () => {
    expect(() => resolveTarget({ endpoint: 'localhost:4020' }, {})).toThrow(UsageError);
    expect(() => resolveTarget({ region: 'Ireland' }, {})).toThrow(UsageError);
  });
});

describe('the caller proof', () => {
  it('is a presigned sts:GetCallerIdentity at the regional STS endpoint, valid for 60 s', async () => {
    const url = new URL(await presignCallerProof({ region: 'eu-west-1' }, { credentials: CREDENTIALS, sha256 }, AT));

    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIAOPERATOR/20261130/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20261130T100000Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Security-Token': 'tok+en/=',
    });
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is accepted by the admin's verifier on AWS and, at the local STS endpoint, on the local cloud", async () => {
    const fetchText = async () => '<Arn>arn:aws:iam::000000000000:role/operator</Arn>';
    const aws = await presignCallerProof({ region: 'eu-west-1' }, { credentials: CREDENTIALS, sha256 });
    const local = await presignCallerProof(
      { region: 'eu-west-1', endpoint: 'http://127.0.0.1:4020' },
      { credentials: CREDENTIALS, sha256 },
    );

    const onAws = await createCallerVerifier({ region: 'eu-west-1', fetchText })({ callerProof: { url: aws } });
    const onLocal = await createCallerVerifier({
      region: 'eu-west-1',
      stsEndpoint: 'http://127.0.0.1:4020',
      fetchText,
    })({ callerProof: { url: local } });

    expect([onAws.verified, onLocal.verified]).toEqual([true, true]);
    expect(onLocal.principal).toBe('arn:aws:iam::000000000000:role/operator');
  });
});

const LOCAL: Target = resolveTarget({}, {});
const PROD: Target = resolveTarget({ stage: 'prod', region: 'eu-west-1' }, {});

/** A Lambda port whose Invoke answers `invoke`; it records what it was sent. */
const fakePort = (invoke: LambdaPort['invoke']): LambdaPort & { sent: unknown[] } => {
  const sent: unknown[] = [];
  return {
    sent,
    credentials: CREDENTIALS,
    sha256,
    invoke: async (name, payload) => {
      sent.push({ name, body: JSON.parse(new TextDecoder().decode(payload)) });
      return invoke(name, payload);
    },
  };
};

const answer = (value: unknown, functionError?: string) => async () => ({
  payload: new TextEncoder().encode(JSON.stringify(value)),
  ...(functionError ? { functionError } : {}),
});

describe('the Lambda admin invoker', () => {
  it("invokes the stage's admin function with the request, the claimed actor and a fresh caller proof", async () => {
    const port = fakePort(answer({ ok: true, action: 'region.status', result: { regions: [] } }));

    const response = await createLambdaAdminInvoker(LOCAL, port, { USER: 'alice' })({ action: 'region.status' });

    expect(response).toEqual({ ok: true, action: 'region.status', result: { regions: [] } });
    expect(port.sent).toEqual([
      {
        name: 'switchyard-local-admin',
        body: { action: 'region.status', actor: expect.any(String), callerProof: { url: expect.any(String) } },
      },
    ]);
    const proof = (port.sent[0] as { body: { callerProof: { url: string } } }).body.callerProof.url;
    expect(proof.startsWith('http://127.0.0.1:4020/?Action=GetCallerIdentity')).toBe(true);
  });

  it('reports a refused connection to the local cloud as unreachable, pointing at npm start', async () => {
    const refusedConnection = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4020'), { code: 'ECONNREFUSED' });
    const port = fakePort(async () => {
      throw Object.assign(new Error('socket failed'), { cause: refusedConnection });
    });

    const failure = await createLambdaAdminInvoker(LOCAL, port)({ action: 'routes.show' }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(CannotReachError);
    expect(failure).toMatchObject({ code: 'ECONNREFUSED', next: expect.stringContaining('is `npm start` running?') });
  });

  it('reports missing credentials with how to set them', async () => {
    const port = fakePort(answer({}));
    port.credentials = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
    };

    const failure = await createLambdaAdminInvoker(PROD, port)({ action: 'routes.show' }).catch((e: unknown) => e);

    expect(failure).toMatchObject({ code: 'NoCredentials', next: expect.stringContaining('AWS_PROFILE') });
  });

  it('reports a stage that is not deployed in the region', async () => {
    const port = fakePort(async () => {
      throw Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' });
    });

    const failure = await createLambdaAdminInvoker(PROD, port)({ action: 'routes.show' }).catch((e: unknown) => e);

    expect(failure).toMatchObject({ next: 'is stage prod deployed in eu-west-1? Check --stage and --region.' });
  });

  it('turns a crash of the admin function into a refusal carrying its error type', async () => {
    const port = fakePort(answer({ errorType: 'TypeError', errorMessage: 'x is undefined' }, 'Unhandled'));

    const response = await createLambdaAdminInvoker(PROD, port)({ action: 'erase' });

    expect(response).toMatchObject({ ok: false, error: { code: 'TypeError' } });
    expect(!response.ok && response.error.message).toContain('aws logs tail /aws/lambda/switchyard-prod-admin');
  });

  it('refuses an answer that is not an admin response', async () => {
    const port = fakePort(answer({ hello: 'world' }));

    await expect(createLambdaAdminInvoker(PROD, port)({ action: 'routes.show' })).rejects.toMatchObject({
      code: 'NotAdmin',
    });
  });
});
