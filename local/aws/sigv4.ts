/** What the local engines need from a SigV4-signed request: who signed it and for which region and service. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;

/**
 * Reads the credential scope from an `Authorization: AWS4-HMAC-SHA256 Credential=...` header
 * or an `X-Amz-Credential` query value. Returns undefined when the request is not SigV4-signed.
 */
export const parseCredentialScope = (
  authorization: string | undefined,
  query?: URLSearchParams,
): CredentialScope | undefined => {
  const fromHeader = authorization ? SCOPE.exec(authorization) : null;
  const fromQuery = query?.get('X-Amz-Credential') ? SCOPE.exec(`Credential=${query.get('X-Amz-Credential')}`) : null;
  const match = fromHeader ?? fromQuery;
  if (!match?.[1] || !match[2] || !match[3] || !match[4]) return undefined;
  return { accessKeyId: match[1], date: match[2], region: match[3], service: match[4] };
};

/** Replaces the access key id inside an Authorization header, leaving the rest of the scope intact. */
export const rewriteAccessKey = (authorization: string, accessKeyId: string): string =>
  authorization.replace(/Credential=[^/\s,]+\//, `Credential=${accessKeyId}/`);
