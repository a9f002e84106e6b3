import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** SHA-256 (and HMAC-SHA-256) as SignatureV4 takes it, from node:crypto. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = typeof secret === 'string' || secret === undefined ? secret : Buffer.from(secret as Uint8Array);
    this.hash = key ? createHmac('sha256', key) : createHash('sha256');
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * The caller proof the operator CLI sends: a presigned STS GetCallerIdentity URL, signed with the
 * caller's credentials (locally the access key id names the principal: `role-<name>`).
 */
export const callerProof = async (
  stsEndpoint: string,
  region: string,
  accessKeyId: string,
): Promise<{ url: string }> => {
  const endpoint = new URL(stsEndpoint);
  const signer = new SignatureV4({
    service: 'sts',
    region,
    credentials: { accessKeyId, secretAccessKey: 'local' },
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: Number(endpoint.port),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host },
    },
    { expiresIn: 300 },
  );
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  return { url: `${endpoint.origin}/?${query}` };
};
