import { z } from 'zod';
import type { QueueMessage } from '../../../adapters/failure-queues';
import {
  FAILURE_QUEUES,
  resolveMessage,
  type FailureQueue,
  type Resolution,
} from '../../../domain/redrive/resolve-message';
import { reopenWindow } from '../../jobs/reopen-window';
import type { Catalog } from '../../../domain/catalog';
import { encodeKey, readKeyComponents } from '../../../domain/ingest/key-encoding';
import type { AdminDeps } from '../admin-deps';
import { defineAction } from '../registry';
import { activeCatalog } from './job-support';

const queue = z.enum(FAILURE_QUEUES as [FailureQueue, ...FailureQueue[]]);

/** How long a listed message stays hidden while it is looked at (it is handed back right after). */
const LIST_VISIBILITY_SECONDS = 30;
/** How long a message being redriven stays hidden: long enough to ingest it or reopen its window. */
const RUN_VISIBILITY_SECONDS = 120;
/** Messages one redrive call takes at most; run it again for more. */
const MAX_PER_RUN = 500;

/** A failure-queue message with what it stands for. */
export interface ListedMessage {
  messageId: string;
  sentAt?: string;
  receiveCount: number;
  resolved:
    Exclude<Resolution, { kind: 'event' }> | (Omit<Extract<Resolution, { kind: 'event' }>, 'event'> & { id?: string });
}

/** What a redrive did. */
export interface RedriveResult {
  queue: FailureQueue;
  redriven: number;
  alreadyStored: number;
  quarantined: number;
  reopenedEvents: number;
  failed: number;
  messages: { messageId: string; outcome: string; detail?: string }[];
}

/** Receives up to `limit` messages, hidden for `visibility` seconds, then hands them to `each`. */
const receiveAll = async (
  deps: AdminDeps,
  name: FailureQueue,
  limit: number,
  visibility: number,
  each: (message: QueueMessage) => Promise<void>,
): Promise<void> => {
  const seen = new Set<string>();
  while (seen.size < limit) {
    const batch = (await deps.failureQueues.receive(name, Math.min(10, limit - seen.size), visibility)).filter(
      (m) => !seen.has(m.messageId),
    );
    if (batch.length === 0) return;
    for (const message of batch) {
      seen.add(message.messageId);
      await each(message);
    }
  }
};

/** What a listing shows of a resolution: the event's Switchyard key (when the catalog can derive it), not its payload. */
const listedAs = (resolution: Resolution, catalog: Catalog | undefined): ListedMessage['resolved'] => {
  if (resolution.kind !== 'event') return resolution;
  const { event, ...rest } = resolution;
  const policy = catalog?.sources.get(resolution.source);
  const read = policy ? readKeyComponents(event as { id: string; detail: unknown }, policy.keyPaths) : undefined;
  return { ...(read?.ok ? { id: encodeKey(resolution.source, read.components).id } : {}), ...rest };
};

export const redriveList = defineAction({
  name: 'redrive.list',
  description:
    "Lists a failure queue's messages of this region, each resolved to its event (or its stream batch) and reason.",
  mutates: false,
  request: z.strictObject({ queue, limit: z.number().int().min(1).max(100).default(20) }),
  async run(request, deps): Promise<{ queue: FailureQueue; depth: number; messages: ListedMessage[] }> {
    const messages: ListedMessage[] = [];
    const handles: string[] = [];
    const catalog = await activeCatalog(deps).catch(() => undefined);
    await receiveAll(deps, request.queue, request.limit, LIST_VISIBILITY_SECONDS, async (m) => {
      handles.push(m.receiptHandle);
      const resolved = resolveMessage(request.queue, m.body, m.attributes, deps.stage);
      messages.push({
        messageId: m.messageId,
        ...(m.sentAt ? { sentAt: m.sentAt } : {}),
        receiveCount: m.receiveCount,
        resolved: listedAs(resolved, catalog),
      });
    });
    await Promise.all(handles.map((h) => deps.failureQueues.release(request.queue, h)));
    return { queue: request.queue, depth: await deps.failureQueues.depth(request.queue), messages };
  },
});

/** Acts on one resolved message: ingest the event again, or reopen the batch's events for the sweeper. */
const redriveOne = async (
  deps: AdminDeps,
  resolution: Resolution,
  result: RedriveResult,
): Promise<{ ok: boolean; outcome: string; detail?: string }> => {
  if (resolution.kind === 'unrecognised') {
    result.failed += 1;
    return { ok: false, outcome: 'unrecognised', detail: resolution.reason };
  }
  if (resolution.kind === 'stream-batch') {
    const reopened = await reopenWindow(deps, resolution);
    result.reopenedEvents += reopened;
    return {
      ok: true,
      outcome: 'reopened',
      detail: `${reopened} events of ${resolution.zone} reopened for the sweeper`,
    };
  }
  const ingested = await deps.ingest(resolution.event);
  if (ingested.outcome === 'stored') result.redriven += 1;
  else if (ingested.outcome === 'quarantined') result.quarantined += 1;
  else result.alreadyStored += 1;
  return {
    ok: true,
    outcome: ingested.outcome,
    detail: ingested.outcome === 'quarantined' ? `${ingested.reason}: ${ingested.message}` : ingested.keyDigest,
  };
};

export const redriveRun = defineAction({
  name: 'redrive.run',
  description:
    "Redrives a failure queue of this region: dead-lettered events are ingested again (dedupe applies), a route batch's events are reopened for the sweeper.",
  mutates: true,
  request: z.strictObject({
    queue,
    messageIds: z.array(z.string().min(1).max(128)).min(1).max(MAX_PER_RUN).optional(),
  }),
  async run(request, deps): Promise<RedriveResult> {
    const wanted = request.messageIds ? new Set(request.messageIds) : undefined;
    const result: RedriveResult = {
      queue: request.queue,
      redriven: 0,
      alreadyStored: 0,
      quarantined: 0,
      reopenedEvents: 0,
      failed: 0,
      messages: [],
    };
    const skipped: string[] = [];
    await receiveAll(deps, request.queue, MAX_PER_RUN, RUN_VISIBILITY_SECONDS, async (m) => {
      if (wanted && !wanted.has(m.messageId)) return void skipped.push(m.receiptHandle);
      const resolution = resolveMessage(request.queue, m.body, m.attributes, deps.stage);
      let done: { ok: boolean; outcome: string; detail?: string };
      try {
        done = await redriveOne(deps, resolution, result);
      } catch (error) {
        result.failed += 1;
        done = { ok: false, outcome: 'failed', detail: error instanceof Error ? error.message : String(error) };
      }
      result.messages.push({
        messageId: m.messageId,
        outcome: done.outcome,
        ...(done.detail ? { detail: done.detail } : {}),
      });
      // A message that could not be acted on goes back to the queue: nothing there is a dead end, or lost.
      if (done.ok) await deps.failureQueues.delete(request.queue, m.receiptHandle);
      else skipped.push(m.receiptHandle);
    });
    await Promise.all(skipped.map((h) => deps.failureQueues.release(request.queue, h)));
    return result;
  },
});
