import { createServer, type RequestListener } from 'node:http';

/**
 * How long every local endpoint keeps an idle keep-alive connection open. SDK clients pool their
 * sockets with no idle limit of their own, so a server that closes one first (Node's default is
 * 5 s) races the next call on it: on a loaded machine that call meets a reset connection, and a
 * reset PutEvents is a send of unknown outcome that the router re-sends as a counted possible
 * repeat. The local cloud must not make repeats that nothing failed to cause.
 */
export const KEEP_ALIVE_MS = 65_000;

export interface LoopbackHttpServer {
  readonly port: number;
  readonly endpoint: string;
  /** Drops every open connection and stops listening. */
  close(): Promise<void>;
}

/** Serves HTTP on 127.0.0.1 (`port` 0 picks a free one), holding idle connections for KEEP_ALIVE_MS. */
export const listenOnLoopback = async (listener: RequestListener, port = 0): Promise<LoopbackHttpServer> => {
  const server = createServer(listener);
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    port: actual,
    endpoint: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
