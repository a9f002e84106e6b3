export { startEventBridgeServer, ENTRY_BYTES } from './server';
export type { EventBridgeServer, EventBridgeServerOptions } from './server';
export { eventBridgeControlRoutes } from './control-routes';
export { EventInspector } from './inspector';
export type { RecordedEvent, DeliveryStats, EventQuery } from './inspector';
export { EventBridgeStore } from './store';
export type { EventEnvelope } from './envelope';
