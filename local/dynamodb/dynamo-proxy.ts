import { randomUUID } from 'node:crypto';
import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import { LOCAL_ACCESS_KEY_ID } from '../aws/credentials';
import { parseCredentialScope, rewriteAccessKey } from '../aws/sigv4';
import type { FaultRegistry } from '../faults/fault-registry';
import { isCutOffByPartition, type Partitions } from '../faults/partitions';
import { listenOnLoopback } from '../net/loopback-http';
import {
  engineUnreachableError,
  missingAuthenticationError,
  proxyFailureError,
  type AwsJsonError,
} from './aws-json-errors';
import { prepareCallerResponse, prepareEngineRequest } from './body-rewrite';
import { describeCall } from './dynamo-call';
import { decideFaults } from './dynamo-faults';
import { DynamoMeter } from './dynamo-meter';
import { isWriteOperation, type TableWrites } from '../dynamodb-streams/table-writes';
import { createEngineClient, type EngineClient, type EngineResponse } from './engine-client';

export interface DynamoProxyOptions {
  /** DynamoDB Local's endpoint, e.g. from startDynamoEngine(). */
  engineEndpoint: string;
  /** Port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  faults: FaultRegistry;
  meter?: DynamoMeter;
  /** Region partitions: a function's call to a region its own is cut off from is refused. */
  partitions?: Partitions;
  /** Counts the write requests the engine answered, per region and table, for the stream readers. */
  writes?: TableWrites;
}

export interface DynamoProxy {
  readonly port: number;
  readonly endpoint: string;
  readonly meter: DynamoMeter;
  stop(): Promise<void>;
}

interface ProxyContext {
  engineEndpoint: string;
  engine: EngineClient;
  faults: FaultRegistry;
  meter: DynamoMeter;
  partitions?: Partitions;
  writes?: TableWrites;
}

/** Headers that describe one hop's connection or encoding, never the message, so they are not copied across. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
  'expect',
  'accept-encoding',
  'upgrade',
]);

const copyHeaders = (headers: IncomingHttpHeaders): OutgoingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !HOP_HEADERS.has(name)));

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const send = (res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: Buffer): void => {
  res.writeHead(status, { ...headers, 'content-length': body.length });
  res.end(body);
};

const sendError = (res: ServerResponse, error: AwsJsonError): void =>
  send(
    res,
    error.status,
    { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() },
    Buffer.from(JSON.stringify(error.body)),
  );

/** The caller's request as DynamoDB Local should see it: every access key becomes the shared local one. */
const engineRequestLine = (req: IncomingMessage, body: Buffer): { path: string; headers: OutgoingHttpHeaders } => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const credential = url.searchParams.get('X-Amz-Credential');
  if (credential) url.searchParams.set('X-Amz-Credential', credential.replace(/^[^/]+\//, `${LOCAL_ACCESS_KEY_ID}/`));
  const headers = copyHeaders(req.headers);
  if (req.headers.authorization)
    headers.authorization = rewriteAccessKey(req.headers.authorization, LOCAL_ACCESS_KEY_ID);
  headers['content-length'] = body.length;
  return { path: `${url.pathname}${url.search}`, headers };
};

/** The engine's headers for a body the proxy may have changed; DynamoDB's x-amz-crc32 must match the bytes sent. */
const callerHeaders = (upstream: EngineResponse, body: Buffer, changed: boolean): OutgoingHttpHeaders => {
  const headers = copyHeaders(upstream.headers);
  if (changed && headers['x-amz-crc32'] !== undefined) headers['x-amz-crc32'] = String(crc32(body));
  return headers;
};

const handleRequest = async (ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const body = await readBody(req);
  const scope = parseCredentialScope(
    req.headers.authorization,
    new URL(req.url ?? '/', 'http://127.0.0.1').searchParams,
  );
  if (!scope) return sendError(res, missingAuthenticationError());
  const region = scope.region;
  const target = req.headers['x-amz-target'];
  const call = describeCall(Array.isArray(target) ? target[0] : target, body);
  const metered = { region, operation: call.operation, tables: call.tables };
  // A partitioned caller gets what `down: 'refuse'` gives: a reset connection, as an unreachable network would.
  if (isCutOffByPartition(ctx.partitions, scope)) {
    ctx.meter.record({ ...metered, error: true });
    return void req.socket.resetAndDestroy();
  }
  const decision = decideFaults(ctx.faults, region, call);
  if (decision.delayMs > 0) await sleep(decision.delayMs);
  if (decision.outcome.kind !== 'pass') {
    ctx.meter.record({ ...metered, error: true });
    if (decision.outcome.kind === 'refuse') return void req.socket.resetAndDestroy();
    return sendError(res, decision.outcome.error);
  }
  const engineBound = prepareEngineRequest(call, body, region);
  const { path, headers } = engineRequestLine(req, engineBound.body);
  let upstream: EngineResponse;
  try {
    upstream = await ctx.engine.send(req.method ?? 'POST', path, headers, engineBound.body);
  } catch (error) {
    ctx.meter.record({ ...metered, error: true });
    return sendError(
      res,
      engineUnreachableError(ctx.engineEndpoint, error instanceof Error ? error.message : String(error)),
    );
  }
  if (isWriteOperation(call.operation)) ctx.writes?.note(region, call.tables);
  const answer = prepareCallerResponse(call, upstream, region, engineBound.stripCapacity);
  ctx.meter.record({ ...metered, capacity: answer.capacity, error: upstream.status >= 400 });
  // The engine has applied the request; the caller only sees the connection drop, as after a lost answer.
  if (decision.loseResponse) return void req.socket.resetAndDestroy();
  send(res, upstream.status, callerHeaders(upstream, answer.body, answer.changed), answer.body);
};

/**
 * Starts the region-aware DynamoDB (and DynamoDB Streams) proxy in front of DynamoDB Local:
 * it maps every caller onto one local access key per region, meters requests and capacity,
 * injects the registry's faults and makes ARNs and stream records name the caller's region.
 */
export const startDynamoProxy = async (options: DynamoProxyOptions): Promise<DynamoProxy> => {
  const meter = options.meter ?? new DynamoMeter();
  const engine = createEngineClient(options.engineEndpoint);
  const ctx: ProxyContext = {
    engineEndpoint: options.engineEndpoint,
    engine,
    faults: options.faults,
    meter,
    partitions: options.partitions,
    writes: options.writes,
  };
  const server = await listenOnLoopback((req, res) => {
    handleRequest(ctx, req, res).catch((error: unknown) => {
      if (res.headersSent || req.socket.destroyed) return void req.socket.destroy();
      sendError(res, proxyFailureError(error instanceof Error ? error.message : String(error)));
    });
  }, options.port);
  const stop = async (): Promise<void> => {
    const closed = server.close();
    engine.close();
    await closed;
  };
  return { port: server.port, endpoint: server.endpoint, meter, stop };
};
