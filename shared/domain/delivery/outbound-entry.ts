import { projectDetail, type Projection } from '../catalog';
import type { InboxItem } from '../ingest/ingress-event';
import { entrySize } from '../ingest/event-size';
import { TRACE_PREFIX } from '../ingest/trace-namespace';

/** A PutEvents entry ready to send, with the size EventBridge will charge it. */
export interface OutboundEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  Resources: string[];
  Time: Date;
  EventBusName: string;
  TraceHeader?: string;
  size: number;
}

/** Who sends this copy, and why: what the trace resources say. */
export interface SendStamp {
  attempt: number;
  /** The region that holds the lease the delivery was claimed under, and its epoch. */
  owner: string;
  epoch: number;
  /** Set when a replay job sends it. */
  replayJob?: string;
}

/** The trace resources a delivered event carries (docs/decisions/006-router-consumer-trace-resources.md). */
export const traceResources = (item: InboxItem, stamp: SendStamp): string[] => [
  `${TRACE_PREFIX}key:${item.id}`,
  `${TRACE_PREFIX}origin:${item.home}`,
  `${TRACE_PREFIX}event:${item.eventId}`,
  `${TRACE_PREFIX}attempt:${stamp.attempt}`,
  `${TRACE_PREFIX}epoch:${stamp.owner}:${stamp.epoch}`,
  `${TRACE_PREFIX}hop:${item.hops + 1}`,
  ...(stamp.replayJob ? [`${TRACE_PREFIX}replay:${stamp.replayJob}`] : []),
];

/**
 * Builds the event delivered to a target bus. Source and detail-type are unchanged; the detail is
 * unchanged unless the route narrows it (`fields`/`redact`); Switchyard's trace travels as extra
 * `resources` after the producer's own.
 */
export const buildOutboundEntry = (
  item: InboxItem,
  delivery: { bus: string; projection?: Projection },
  stamp: SendStamp,
): OutboundEntry => {
  const resources = [...item.resources, ...traceResources(item, stamp)];
  const detail = delivery.projection
    ? JSON.stringify(projectDetail(JSON.parse(item.detail), delivery.projection))
    : item.detail;
  const entry = {
    Source: item.source,
    DetailType: item.detailType,
    Detail: detail,
    Resources: resources,
    Time: new Date(item.time),
    EventBusName: delivery.bus,
    ...(item.traceHeader ? { TraceHeader: item.traceHeader } : {}),
  };
  return {
    ...entry,
    size: entrySize({ source: item.source, detailType: item.detailType, detail, resources, hasTime: true }),
  };
};

/** The widest stamp a delivery can carry: ingest checks an event's size against it. */
const WIDEST_STAMP: SendStamp = {
  attempt: 999_999,
  owner: 'ap-southeast-99',
  epoch: 999_999_999,
  replayJob: 'x'.repeat(36),
};

/** The largest size this event can have once delivered (unprojected, with the widest trace). */
export const maxOutboundSize = (item: InboxItem): number => buildOutboundEntry(item, { bus: '' }, WIDEST_STAMP).size;
