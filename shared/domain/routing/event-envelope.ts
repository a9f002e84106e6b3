import type { InboxItem } from '../ingest/ingress-event';

/** Rebuilds the EventBridge envelope a route pattern matches against, from the stored inbox item. */
export const envelopeOf = (item: InboxItem): Record<string, unknown> => ({
  version: '0',
  id: item.eventId,
  'detail-type': item.detailType,
  source: item.source,
  account: item.account,
  time: item.time,
  region: item.home,
  resources: item.resources,
  detail: JSON.parse(item.detail) as unknown,
});
