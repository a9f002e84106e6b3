import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import {
  FunctionInvocationError,
  FunctionNotFoundError,
  type FunctionInvoker,
} from '../../../local/lambda/function-invoker';
import type { FunctionLogLine } from '../../../local/lambda/function-telemetry';
import { startLambdaApiServer, type LambdaApiServer } from '../../../local/lambda-api';

/** The Checksum the signer wants, from node:crypto (no @aws-crypto package is installed). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = this.secret instanceof ArrayBuffer ? new Uint8Array(this.secret) : this.secret;
    return createHmac(
      'sha256',
      ArrayBuffer.isView(key) ? new Uint8Array(key.buffer, key.byteOffset, key.byteLength) : key,
    );
  }
}

/** A request as a signed client sends it. */
export interface SignedRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A FunctionInvoker that behaves per function name: `echo` returns the event and region, `fails`
 * throws a handler error, `chatty` writes log lines while it runs; anything else is not deployed.
 */
export class ScriptedInvoker implements FunctionInvoker {
  readonly calls: Array<{ region: string; functionName: string; payload: unknown }> = [];
  readonly lines: FunctionLogLine[] = [];

  async invoke(region: string, functionName: string, payload: unknown): Promise<unknown> {
    this.calls.push({ region, functionName, payload });
    if (functionName === 'echo') return { region, event: payload };
    if (functionName === 'fails')
      throw new FunctionInvocationError(functionName, 'PaymentDeclinedError', 'card declined');
    if (functionName === 'chatty') {
      for (const line of ['{"level":"INFO","message":"working"}', '{"level":"INFO","message":"done"}'])
        this.lines.push({ region, functionName, stream: 'stdout', line, at: new Date().toISOString() });
      return 'ok';
    }
    throw new FunctionNotFoundError(region, functionName);
  }

  logs(region: string, functionName: string): FunctionLogLine[] {
    return this.lines.filter((l) => l.region === region && l.functionName === functionName);
  }
}

/** The Lambda API server on an ephemeral port with a scripted invoker, plus a SigV4 signer for raw requests. */
export const startLambdaApiHarness = async (): Promise<{
  server: LambdaApiServer;
  invoker: ScriptedInvoker;
  send(
    request: SignedRequest,
    options?: { region?: string; service?: string; accessKeyId?: string },
  ): Promise<Response>;
  presignedUrl(query: Record<string, string>, options: { region: string; accessKeyId: string }): Promise<string>;
}> => {
  const invoker = new ScriptedInvoker();
  const server = await startLambdaApiServer({ invoker, logs: (r, f) => invoker.logs(r, f) });
  const signer = (region: string, service: string, accessKeyId: string) =>
    new SignatureV4({
      service,
      region,
      credentials: { accessKeyId, secretAccessKey: 'not-checked' },
      sha256: NodeSha256,
    });
  const base = (request: SignedRequest) => ({
    method: request.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: server.port,
    path: request.path,
    query: request.query ?? {},
    headers: { host: `127.0.0.1:${server.port}`, ...request.headers },
    body: request.body,
  });
  return {
    server,
    invoker,
    send: async (request, { region = 'eu-west-1', service = 'lambda', accessKeyId = 'role-operator' } = {}) => {
      const signed = await signer(region, service, accessKeyId).sign(base(request));
      const query = new URLSearchParams(signed.query as Record<string, string>).toString();
      return fetch(`${server.endpoint}${signed.path}${query ? `?${query}` : ''}`, {
        method: signed.method,
        headers: signed.headers,
        body: request.body,
      });
    },
    presignedUrl: async (query, { region, accessKeyId }) => {
      const signed = await signer(region, 'sts', accessKeyId).presign(base({ method: 'GET', path: '/', query }));
      return `${server.endpoint}/?${new URLSearchParams(signed.query as Record<string, string>).toString()}`;
    },
  };
};
