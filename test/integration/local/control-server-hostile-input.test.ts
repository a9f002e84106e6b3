import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startControlServer, type ControlServer } from '../../../local/control/control-server';
import { ControlRequestError, type ControlRoute } from '../../../local/control/route-table';

const DEEP = 100_000;

const nestedObjects = (levels: number): unknown => {
  let value: unknown = 'bottom';
  for (let level = 0; level < levels; level += 1) value = { a: value };
  return value;
};

const route = (path: string, handle: ControlRoute['handle'], method: ControlRoute['method'] = 'GET'): ControlRoute => ({
  method,
  path,
  description: path,
  handle,
});

const routes: ControlRoute[] = [
  route('/ok', () => ({ body: { ok: true } })),
  route('/echo', ({ body }) => ({ body: { received: body } }), 'PUT'),
  route('/items/:id', ({ params }) => ({ body: { id: params.id } })),
  route('/throws', () => {
    throw new Error('handler broke');
  }),
  route('/rejects', () => Promise.reject(new Error('handler rejected'))),
  route('/bad-input', () => {
    throw new ControlRequestError('count must be positive');
  }),
  // Each of these bodies made the old server write its headers twice and exit with ERR_HTTP_HEADERS_SENT.
  route('/deep-body', () => ({ body: nestedObjects(DEEP) })),
  route('/bigint-body', () => ({ body: { count: 10n } })),
  route('/throwing-body', () => ({
    body: {
      toJSON: (): never => {
        throw new Error('toJSON broke');
      },
    },
  })),
];

let server: ControlServer;

beforeAll(async () => {
  server = await startControlServer(routes);
});

afterAll(async () => {
  await server?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const call = async (path: string, init?: RequestInit): Promise<{ status: number; body: { error?: string } }> => {
  const response = await fetch(`${server.endpoint}${path}`, init);
  return { status: response.status, body: (await response.json()) as { error?: string } };
};

/** Proves the server still answers a normal request after whatever the test sent. */
const stillServes = async (): Promise<void> => {
  expect(await call('/ok')).toEqual({ status: 200, body: { ok: true } });
};

describe('the control server under failing routes', () => {
  it.each([
    ['/throws', 'handler broke'],
    ['/rejects', 'handler rejected'],
    ['/deep-body', 'the response body cannot be serialized: Maximum call stack size exceeded'],
    ['/bigint-body', 'the response body cannot be serialized: Do not know how to serialize a BigInt'],
    ['/throwing-body', 'the response body cannot be serialized: toJSON broke'],
  ])('answers %s with 500 and the reason, logs it once, and keeps serving', async (path, reason) => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const answer = await call(path);

    expect(answer).toEqual({ status: 500, body: { error: reason } });
    expect(stderr).toHaveBeenCalledTimes(1);
    await stillServes();
  });

  it('answers a client mistake raised by a route with 400 and logs nothing', async () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const answer = await call('/bad-input');

    expect(answer).toEqual({ status: 400, body: { error: 'count must be positive' } });
    expect(stderr).not.toHaveBeenCalled();
  });
});

describe('the control server under malformed requests', () => {
  it.each([
    ['JSON that stops half-way', '{"a": ['],
    ['bytes that are not JSON', '\u0000garbage'],
  ])('answers a body of %s with 400 and keeps serving', async (_, body) => {
    const answer = await call('/echo', { method: 'PUT', body });

    expect(answer).toEqual({ status: 400, body: { error: 'request body is not valid JSON' } });
    await stillServes();
  });

  it(`echoes a body nested ${DEEP.toLocaleString('en')} deep with a 500, not a crash`, async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const body = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;

    const answer = await call('/echo', { method: 'PUT', body });

    expect(answer.status).toBe(500);
    expect(answer.body.error).toMatch(/^the response body cannot be serialized/);
    await stillServes();
  });

  it('answers a body over 1 MiB with 413', async () => {
    const answer = await call('/echo', { method: 'PUT', body: JSON.stringify('x'.repeat(1_100_000)) });

    expect(answer).toEqual({ status: 413, body: { error: 'request body is over 1 MiB' } });
    await stillServes();
  });

  it('answers a path with broken percent-encoding with 400', async () => {
    const answer = await call('/items/%E0%A4%A');

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/not valid percent-encoding/);
    await stillServes();
  });

  it('survives a client that hangs up in the middle of its request body, and logs nothing', async () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const aborted = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"partial": '));
        setTimeout(() => aborted.abort(), 50);
      },
    });

    const hungUp = await fetch(`${server.endpoint}/echo`, {
      method: 'PUT',
      body: stream,
      signal: aborted.signal,
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error);

    expect(hungUp).toBeInstanceOf(Error);
    await stillServes();
    expect(stderr).not.toHaveBeenCalled();
  });
});
