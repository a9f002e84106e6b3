/** The counters the delivery path emits; the handler backs them with Powertools Metrics (EMF). */
export type DeliveryMetric =
  | 'Routed'
  | 'Delivered'
  | 'DeliveryRetried'
  | 'Parked'
  | 'Redelivered'
  | 'ClaimLost'
  | 'AlreadySettled'
  | 'HeldByOtherOwner'
  | 'DuplicateDetected'
  | 'PutEventsCalls';

export interface MetricSink {
  add(metric: DeliveryMetric, value: number): void;
}

/** A sink that keeps totals in memory, for tests and the local status line. */
export const createCountingSink = (): MetricSink & { totals: Map<DeliveryMetric, number> } => {
  const totals = new Map<DeliveryMetric, number>();
  return { totals, add: (metric, value) => totals.set(metric, (totals.get(metric) ?? 0) + value) };
};
