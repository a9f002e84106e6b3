import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ControlRequestError, matchRoute, type ControlRoute } from './route-table';

export interface ControlServer {
  readonly port: number;
  readonly endpoint: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_048_576;

const readJsonBody = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ControlRequestError('request body is over 1 MiB', 413);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ControlRequestError('request body is not valid JSON');
  }
};

/** Serves the local cloud's control API (faults, inspection, metering, ...) as JSON over HTTP on loopback. */
export const startControlServer = async (routes: readonly ControlRoute[], port = 0): Promise<ControlServer> => {
  const index = (): unknown => ({
    routes: routes.map((r) => ({ method: r.method, path: r.path, description: r.description })),
  });
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body, null, 2)}\n`);
    };
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/') return send(200, index());
      const found = matchRoute(routes, req.method ?? 'GET', url.pathname);
      if (!found) return send(404, { error: `No route ${req.method} ${url.pathname}; GET / lists the routes.` });
      const body = await readJsonBody(req);
      const response = await found.route.handle({ params: found.params, query: url.searchParams, body });
      send(response.status ?? 200, response.body);
    })().catch((error: unknown) => {
      if (error instanceof ControlRequestError || error instanceof RangeError) {
        send(error instanceof ControlRequestError ? error.status : 400, { error: error.message });
      } else {
        send(500, { error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: actualPort,
    endpoint: `http://127.0.0.1:${actualPort}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
