import { userInfo } from 'node:os';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  ChecksumConstructor,
  HashConstructor,
} from '@smithy/types';
import type { AdminResponse } from '../shared/services/admin/run-admin';
import { CannotReachError } from './cli-errors';
import { explainUnreachable } from './explain-unreachable';
import type { Target } from './target';

/** One admin request: `{ action, ...fields }`; the client adds who is calling and the proof of it. */
export type AdminRequest = { action: string } & Record<string, unknown>;

export type { AdminResponse };

/** Sends one request to the admin function and returns its answer; tests pass a fake one. */
export type AdminInvoker = (request: AdminRequest) => Promise<AdminResponse>;

/** What the CLI needs from Lambda: Invoke, the caller's credentials, and the hash SigV4 signs with. */
export interface LambdaPort {
  invoke(functionName: string, payload: Uint8Array): Promise<{ payload?: Uint8Array; functionError?: string }>;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  sha256: ChecksumConstructor | HashConstructor;
}

/** How long the caller proof stays valid: long enough for one admin call, too short to be reused later. */
export const CALLER_PROOF_TTL_SECONDS = 60;

/** The SDK's Lambda client for a target; the local cloud gets one attempt, so a stopped cloud is reported at once. */
export const sdkLambdaPort = (target: Target): LambdaPort => {
  const client = new LambdaClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
    ...(target.mode === 'local' ? { maxAttempts: 1 } : {}),
  });
  return {
    invoke: async (functionName, payload) => {
      const out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: payload }));
      return { payload: out.Payload, functionError: out.FunctionError };
    },
    credentials: client.config.credentials,
    sha256: client.config.sha256,
  };
};

/**
 * Presigns `sts:GetCallerIdentity` with the caller's own credentials (SigV4 query signing): the
 * admin function calls the URL and learns the verified ARN. On AWS it points at the regional STS
 * endpoint, which the admin trusts; locally at the local cloud's STS, served beside Lambda.
 */
export const presignCallerProof = async (
  target: Pick<Target, 'region' | 'endpoint'>,
  signing: Pick<LambdaPort, 'credentials' | 'sha256'>,
  now: Date = new Date(),
): Promise<string> => {
  const url = new URL(target.endpoint ?? `https://sts.${target.region}.amazonaws.com`);
  const signer = new SignatureV4({
    service: 'sts',
    region: target.region,
    credentials: signing.credentials,
    sha256: signing.sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: url.host },
    },
    { expiresIn: CALLER_PROOF_TTL_SECONDS, signingDate: now },
  );
  return `${url.origin}/?${new URLSearchParams(signed.query as Record<string, string>).toString()}`;
};

/** Who the operator says they are; recorded only when the caller proof cannot be verified. */
const claimedActor = (env: NodeJS.ProcessEnv): string => {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'unknown';
  }
};

/**
 * The real invoker: adds `actor` and a fresh `callerProof` to each request and invokes the admin
 * function. A call that never reaches the function becomes a CannotReachError saying what to do.
 */
export const createLambdaAdminInvoker = (
  target: Target,
  port: LambdaPort = sdkLambdaPort(target),
  env: NodeJS.ProcessEnv = process.env,
): AdminInvoker => {
  return async (request) => {
    let answer: { payload?: Uint8Array; functionError?: string };
    try {
      const callerProof = { url: await presignCallerProof(target, port) };
      const body = { ...request, actor: claimedActor(env), callerProof };
      answer = await port.invoke(target.functionName, new TextEncoder().encode(JSON.stringify(body)));
    } catch (error) {
      throw explainUnreachable(error, target);
    }
    return readAnswer(request.action, answer, target);
  };
};

/** Reads the function's answer; a crash (`X-Amz-Function-Error`) or a foreign shape is reported, never printed raw. */
const readAnswer = (
  action: string,
  answer: { payload?: Uint8Array; functionError?: string },
  target: Target,
): AdminResponse => {
  const text = new TextDecoder().decode(answer.payload ?? new Uint8Array());
  let parsed: unknown;
  try {
    parsed = JSON.parse(text || 'null');
  } catch {
    parsed = undefined;
  }
  if (answer.functionError) {
    const crash = (parsed ?? {}) as { errorType?: string; errorMessage?: string };
    return {
      ok: false,
      action,
      error: {
        code: crash.errorType ?? 'FunctionError',
        message: `the admin function failed: ${crash.errorMessage ?? text}. ${logsHint(target)}`,
      },
    };
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { ok?: unknown }).ok !== 'boolean') {
    throw new CannotReachError(
      `${target.functionName} answered something that is not an admin response: ${text.slice(0, 200)}`,
      'check that --stage names a Switchyard stage and that its admin function is deployed.',
      'NotAdmin',
    );
  }
  return parsed as AdminResponse;
};

const logsHint = (target: Target): string =>
  target.mode === 'local'
    ? `Its log: GET /functions/${target.region}/admin/logs on the local control API (http://127.0.0.1:4000 under npm start).`
    : `Its log: aws logs tail /aws/lambda/${target.functionName} --region ${target.region}`;
