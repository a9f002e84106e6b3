import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

/** A buffered answer from DynamoDB Local. */
export interface EngineResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EngineClient {
  send(method: string, path: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<EngineResponse>;
  close(): void;
}

/**
 * Sends requests to DynamoDB Local over a pool of keep-alive connections: every test's
 * DynamoDB traffic passes through here, and a fresh TCP handshake per call to the JVM
 * would dominate the proxy's cost.
 */
export const createEngineClient = (engineEndpoint: string): EngineClient => {
  const url = new URL(engineEndpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16, scheduling: 'lifo' });
  const send = (method: string, path: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<EngineResponse> =>
    new Promise((resolve, reject) => {
      const outgoing = request(
        { host: url.hostname, port: url.port, method, path, agent, headers: { ...headers, host: url.host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.once('error', reject);
          res.once('end', () =>
            resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  return { send, close: () => agent.destroy() };
};
