import type { InboxItem } from '../ingest/ingress-event';
import { entrySize } from '../ingest/event-size';

/** Prefix of the resources Switchyard adds so consumers can dedupe and trace a delivered event. */
export const TRACE_RESOURCE_PREFIX = 'switchyard:';

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

/**
 * Builds the event delivered to a target bus. Source, detail-type and detail are unchanged; the
 * idempotency key, origin region, original event id and attempt travel as extra `resources`
 * (`switchyard:key:<id>`, `switchyard:origin:<region>`, `switchyard:event:<id>`, `switchyard:attempt:<n>`).
 */
export const buildOutboundEntry = (
  item: InboxItem,
  bus: string,
  attempt: number,
  traceHeader?: string,
): OutboundEntry => {
  const resources = [
    ...item.resources,
    `${TRACE_RESOURCE_PREFIX}key:${item.id}`,
    `${TRACE_RESOURCE_PREFIX}origin:${item.home}`,
    `${TRACE_RESOURCE_PREFIX}event:${item.eventId}`,
    `${TRACE_RESOURCE_PREFIX}attempt:${attempt}`,
  ];
  const entry = {
    Source: item.source,
    DetailType: item.detailType,
    Detail: item.detail,
    Resources: resources,
    Time: new Date(item.time),
    EventBusName: bus,
    ...(traceHeader ? { TraceHeader: traceHeader } : {}),
  };
  return {
    ...entry,
    size: entrySize({
      source: item.source,
      detailType: item.detailType,
      detail: item.detail,
      resources,
      hasTime: true,
    }),
  };
};
