import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from '../net/loopback-http';
import { ControlRequestError, matchRoute, type ControlResponse, type ControlRoute } from './route-table';

export interface ControlServer {
  readonly port: number;
  readonly endpoint: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_048_576;

/** A route answered with a body that has no JSON text (too deep, circular, a BigInt...): the server's fault. */
class UnserializableBodyError extends Error {
  constructor(cause: unknown) {
    super(`the response body cannot be serialized: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'UnserializableBodyError';
  }
}

// Listening instead of iterating: leaving a for-await early destroys the request, and the 413 with it.
const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new ControlRequestError('request body is over 1 MiB', 413));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const readJsonBody = async (req: IncomingMessage): Promise<unknown> => {
  const text = (await readBody(req)).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ControlRequestError('request body is not valid JSON');
  }
};

const serialize = (body: unknown): string => {
  try {
    return `${JSON.stringify(body, null, 2)}\n`;
  } catch (error) {
    throw new UnserializableBodyError(error);
  }
};

// The body is serialized before the head is written, so a body that cannot be serialized still gets an answer.
const writeJson = (res: ServerResponse, status: number, body: unknown): void => {
  const text = serialize(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
};

// Route handlers signal bad input with ControlRequestError, or with RangeError from the registries they call.
const statusOf = (error: unknown): number => {
  if (error instanceof ControlRequestError) return error.status;
  if (error instanceof RangeError) return 400;
  return 500;
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Answers a failed request once; a response already under way cannot change status, so its socket is closed. */
const answerFailure = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
  // A client that hung up (reading its body then fails) left nobody to answer and is no fault of the server.
  if (res.destroyed || (req.destroyed && !req.complete)) return;
  const status = statusOf(error);
  if (status >= 500) console.error(`control: ${req.method ?? '?'} ${req.url ?? '?'} failed:`, error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  try {
    writeJson(res, status, { error: describe(error) });
  } catch {
    res.destroy();
  }
};

const dispatch = async (req: IncomingMessage, routes: readonly ControlRoute[]): Promise<ControlResponse> => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/') {
    return { body: { routes: routes.map(({ method, path, description }) => ({ method, path, description })) } };
  }
  const found = matchRoute(routes, req.method ?? 'GET', url.pathname);
  if (!found)
    return { status: 404, body: { error: `No route ${req.method} ${url.pathname}; GET / lists the routes.` } };
  const body = await readJsonBody(req);
  return found.route.handle({ params: found.params, query: url.searchParams, body });
};

const serve = async (req: IncomingMessage, res: ServerResponse, routes: readonly ControlRoute[]): Promise<void> => {
  try {
    const response = await dispatch(req, routes);
    writeJson(res, response.status ?? 200, response.body);
  } catch (error) {
    answerFailure(req, res, error);
  }
};

/** Serves the local cloud's control API (faults, inspection, metering, ...) as JSON over HTTP on loopback. */
export const startControlServer = async (routes: readonly ControlRoute[], port = 0): Promise<ControlServer> => {
  const server = await listenOnLoopback((req, res) => {
    // Last resort: whatever a request does, it must never become an unhandled rejection that ends the process.
    serve(req, res, routes).catch((error: unknown) => {
      console.error('control: request handling failed:', error);
      res.destroy();
    });
  }, port);
  return { port: server.port, endpoint: server.endpoint, stop: server.close };
};
