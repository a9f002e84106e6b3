import { CannotReachError } from './cli-errors';
import type { Target } from './target';

/** Network failures the operating system reports by code, wherever the SDK nests them. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);
const CREDENTIAL_REFUSALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
]);

const CREDENTIALS_HOW =
  'set credentials: AWS_PROFILE=<profile> (after `aws sso login --profile <profile>`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).';

/** The first network error code found in an error, its cause chain, or an AggregateError's members. */
const networkCode = (error: unknown, depth = 0): string | undefined => {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const nested = [cause, ...(Array.isArray(errors) ? errors : [])];
  return nested.map((e) => networkCode(e, depth + 1)).find((c) => c !== undefined);
};

/**
 * Turns a failed Invoke (or a failed credential lookup before it) into what the operator should do
 * next: start the local cloud, set credentials, check the stage and region, or ask for access.
 */
export const explainUnreachable = (error: unknown, target: Target): CannotReachError => {
  const name = (error as { name?: unknown })?.name;
  const message = error instanceof Error ? error.message : String(error);
  const where = target.mode === 'local' ? `the local cloud at ${target.endpoint}` : `Lambda in ${target.region}`;
  const code = networkCode(error);
  if (code) {
    return new CannotReachError(
      `cannot reach ${where} (${code}).`,
      target.mode === 'local'
        ? 'is `npm start` running? it serves the local cloud on 127.0.0.1:4020 (pass --endpoint for another address).'
        : 'check your network connection and that --region names an AWS region.',
      code,
    );
  }
  if (name === 'CredentialsProviderError') {
    return new CannotReachError(`no AWS credentials found: ${message}`, CREDENTIALS_HOW, 'NoCredentials');
  }
  if (typeof name === 'string' && CREDENTIAL_REFUSALS.has(name)) {
    return new CannotReachError(`your credentials were refused: ${message}`, CREDENTIALS_HOW, name);
  }
  if (name === 'ResourceNotFoundException') {
    return new CannotReachError(
      `${where} has no function ${target.functionName}.`,
      target.mode === 'local'
        ? `is the router deployed there (npm start) and is ${target.region} one of its regions?`
        : `is stage ${target.stage} deployed in ${target.region}? Check --stage and --region.`,
      name,
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new CannotReachError(
      `you may not invoke ${target.functionName}: ${message}`,
      `use the operator role of stage ${target.stage}; it needs lambda:InvokeFunction on ${target.functionName}.`,
      name,
    );
  }
  return new CannotReachError(
    `calling ${target.functionName} on ${where} failed: ${typeof name === 'string' ? `${name}: ` : ''}${message}`,
    'retry; if it persists, check the endpoint, region and credentials.',
    typeof name === 'string' ? name : 'CannotReach',
  );
};
