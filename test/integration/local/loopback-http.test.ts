import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback, type LoopbackHttpServer } from '../../../local/net/loopback-http';

/** Node's own server default: an idle connection is closed after 5 s. */
const NODE_DEFAULT_KEEP_ALIVE_MS = 5_000;

describe('local endpoints on loopback', () => {
  let server: LoopbackHttpServer;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    server = await listenOnLoopback((_req, res) => res.end('ok'));
  });

  afterAll(async () => {
    agent.destroy();
    await server?.close();
  });

  /** One GET through the pooled agent: its body, and whether it went out on a socket an earlier call opened. */
  const get = (): Promise<{ body: string; reused: boolean }> =>
    new Promise((resolve, reject) => {
      const req = request(`${server.endpoint}/`, { agent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ body, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end();
    });

  it('keeps an idle keep-alive connection open past Node’s 5 s default, so a pooled client never races its close', async () => {
    // Prepare
    expect(await get()).toEqual({ body: 'ok', reused: false });
    // Act: idle as long as a warm container between two deliveries in a drill.
    await sleep(NODE_DEFAULT_KEEP_ALIVE_MS + 1_000);
    // Assess
    expect(await get()).toEqual({ body: 'ok', reused: true });
  }, 20_000);

  it('listens on 127.0.0.1 only, on a free port when asked for 0', () => {
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });
});
