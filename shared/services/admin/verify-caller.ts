import type { Caller } from '../../adapters/control-table';

/**
 * Establishes who made an admin call. Lambda does not pass the invoker's identity to the function,
 * so the operator CLI sends proof: a presigned `sts:GetCallerIdentity` URL, signed with the caller's
 * own credentials. Calling it returns the caller's ARN, which no one can forge without those
 * credentials (the same method Vault's AWS auth uses). Only STS endpoints are trusted: AWS's, or
 * the local cloud's when `stsEndpoint` says so. Without proof the claimed actor is recorded as
 * unverified, with the request id that CloudTrail's Lambda data events tie to the real principal.
 */
export const createCallerVerifier = ({
  region,
  stsEndpoint,
  fetchText = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(3_000) })).text(),
  requestId = () => undefined,
}: {
  region: string;
  stsEndpoint?: string;
  fetchText?: (url: string) => Promise<string>;
  requestId?: () => string | undefined;
}) => {
  const trusted = (url: URL): boolean => {
    if (stsEndpoint && url.origin === new URL(stsEndpoint).origin) return true;
    return (
      url.protocol === 'https:' &&
      (url.hostname === 'sts.amazonaws.com' || url.hostname === `sts.${region}.amazonaws.com`)
    );
  };
  return async (request: Record<string, unknown>): Promise<Caller> => {
    const claimed = typeof request.actor === 'string' && request.actor ? request.actor : 'unknown';
    const id = requestId();
    const base = { ...(id ? { requestId: id } : {}) };
    const proof = (request.callerProof as { url?: unknown } | undefined)?.url;
    if (typeof proof !== 'string') {
      return {
        ...base,
        principal: claimed,
        verified: false,
        how: 'no caller proof sent; the principal is in CloudTrail (Lambda data events) under this request id',
      };
    }
    let url: URL;
    try {
      url = new URL(proof);
    } catch {
      return { ...base, principal: claimed, verified: false, how: 'caller proof is not a URL' };
    }
    if (!trusted(url) || url.searchParams.get('Action') !== 'GetCallerIdentity') {
      return {
        ...base,
        principal: claimed,
        verified: false,
        how: `caller proof does not point at a trusted STS GetCallerIdentity (${url.origin})`,
      };
    }
    try {
      const arn = /<Arn>([^<]+)<\/Arn>/.exec(await fetchText(url.toString()))?.[1];
      if (!arn)
        return {
          ...base,
          principal: claimed,
          verified: false,
          how: 'STS did not confirm the caller proof (expired or tampered)',
        };
      return { ...base, principal: arn, verified: true, how: 'sts:GetCallerIdentity signed by the caller' };
    } catch (error) {
      return {
        ...base,
        principal: claimed,
        verified: false,
        how: `STS could not be reached to verify the caller: ${String(error)}`,
      };
    }
  };
};
