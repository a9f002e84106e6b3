import { describe, expect, it } from 'vitest';
import { createCallerVerifier } from '../../../../shared/services/admin/verify-caller';

const ALICE = 'arn:aws:iam::123456789012:user/alice';
const STS_ANSWER = [
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
  `<GetCallerIdentityResult><Arn>${ALICE}</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>`,
  '</GetCallerIdentityResult></GetCallerIdentityResponse>',
].join('');
const PRESIGNED =
  'https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Signature=abc';

/** A verifier for us-east-1 whose STS calls are answered by `answer` and recorded. */
const createVerifier = (
  answer: (url: string) => Promise<string> = async () => STS_ANSWER,
  options: { stsEndpoint?: string; requestId?: string } = {},
) => {
  const fetched: string[] = [];
  const verify = createCallerVerifier({
    region: 'us-east-1',
    ...(options.stsEndpoint ? { stsEndpoint: options.stsEndpoint } : {}),
    fetchText: async (url) => {
      fetched.push(url);
      return answer(url);
    },
    requestId: () => options.requestId,
  });
  return { verify, fetched };
};

const withProof = (url: unknown) => ({ actor: 'alice', callerProof: { url } });

describe('createCallerVerifier: verified callers', () => {
  it('verifies the caller as the ARN STS returns for its presigned GetCallerIdentity', async () => {
    // Prepare
    const { verify, fetched } = createVerifier();

    // Act
    const caller = await verify(withProof(PRESIGNED));

    // Assess
    expect(caller).toEqual({ principal: ALICE, verified: true, how: 'sts:GetCallerIdentity signed by the caller' });
    expect(fetched).toEqual([PRESIGNED]);
  });

  it('trusts the global STS endpoint as well as this region’s', async () => {
    const { verify } = createVerifier();
    const caller = await verify(withProof('https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15'));
    expect(caller.verified).toBe(true);
  });

  it("trusts the local cloud's STS endpoint when one is configured", async () => {
    // Prepare
    const { verify, fetched } = createVerifier(undefined, { stsEndpoint: 'http://127.0.0.1:4566' });

    // Act
    const caller = await verify(withProof('http://127.0.0.1:4566/?Action=GetCallerIdentity'));

    // Assess
    expect(caller).toMatchObject({ principal: ALICE, verified: true });
    expect(fetched).toHaveLength(1);
  });

  it('carries the Lambda request id with the caller', async () => {
    const { verify } = createVerifier(undefined, { requestId: 'req-7' });
    expect(await verify(withProof(PRESIGNED))).toMatchObject({ requestId: 'req-7', verified: true });
  });
});

describe('createCallerVerifier: unverified callers', () => {
  it('records the claimed actor as unverified when no proof is sent, pointing at CloudTrail', async () => {
    // Prepare
    const { verify, fetched } = createVerifier(undefined, { requestId: 'req-1' });

    // Act
    const caller = await verify({ actor: 'alice' });

    // Assess
    expect(caller).toMatchObject({ principal: 'alice', verified: false, requestId: 'req-1' });
    expect(caller.how).toContain('CloudTrail');
    expect(fetched).toEqual([]);
  });

  it.each([
    ['no actor', {}],
    ['an empty actor', { actor: '' }],
    ['an actor that is not a string', { actor: { name: 'root' } }],
  ])('names the caller unknown when the request has %s', async (_name, request) => {
    const { verify } = createVerifier();
    expect(await verify(request)).toMatchObject({ principal: 'unknown', verified: false });
  });

  it.each([
    ['a number', 42],
    ['missing', undefined],
  ])('treats a proof whose url is %s as no proof', async (_name, url) => {
    const { verify, fetched } = createVerifier();
    expect(await verify(withProof(url))).toMatchObject({ principal: 'alice', verified: false });
    expect(fetched).toEqual([]);
  });

  it('refuses a proof that is not a URL', async () => {
    const { verify } = createVerifier();
    expect(await verify(withProof('not a url'))).toEqual({
      principal: 'alice',
      verified: false,
      how: 'caller proof is not a URL',
    });
  });

  it.each([
    ['another host', 'https://sts.example.com/?Action=GetCallerIdentity'],
    ['a host that only starts like STS', 'https://sts.amazonaws.com.attacker.example/?Action=GetCallerIdentity'],
    ['STS as user info before another host', 'https://sts.amazonaws.com@attacker.example/?Action=GetCallerIdentity'],
    ['plain http to STS', 'http://sts.amazonaws.com/?Action=GetCallerIdentity'],
    ["another region's STS", 'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity'],
    ['the local endpoint when none is configured', 'http://127.0.0.1:4566/?Action=GetCallerIdentity'],
    ['a trusted host asked for another action', 'https://sts.amazonaws.com/?Action=AssumeRole'],
    ['a trusted host with no action', 'https://sts.amazonaws.com/'],
  ])('never calls a proof that points at %s', async (_name, url) => {
    // Prepare
    const { verify, fetched } = createVerifier();

    // Act
    const caller = await verify(withProof(url));

    // Assess
    expect(caller).toMatchObject({ principal: 'alice', verified: false });
    expect(caller.how).toContain('does not point at a trusted STS GetCallerIdentity');
    expect(fetched).toEqual([]);
  });

  it('stays unverified when STS does not confirm the proof (expired or tampered)', async () => {
    // Prepare
    const refusal = '<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>';
    const { verify } = createVerifier(async () => refusal);

    // Act
    const caller = await verify(withProof(PRESIGNED));

    // Assess
    expect(caller).toEqual({
      principal: 'alice',
      verified: false,
      how: 'STS did not confirm the caller proof (expired or tampered)',
    });
  });

  it('stays unverified, with the reason, when STS cannot be reached', async () => {
    const { verify } = createVerifier(async () => {
      throw new Error('connect ETIMEDOUT');
    });
    const caller = await verify(withProof(PRESIGNED));
    expect(caller).toMatchObject({ principal: 'alice', verified: false });
    expect(caller.how).toContain('connect ETIMEDOUT');
  });
});
