import type { LedgerTable } from '../../shared/adapters/ledger-table';
import { DEFAULT_BREAKER_SETTINGS } from '../../shared/domain/delivery/breaker';
import { createBreakers } from '../../shared/domain/delivery/breaker-registry';
import type { DeliveryDeps, DeliverySettings } from '../../shared/services/delivery/delivery-deps';
import { createCountingMetrics, createMemoryLog } from '../../shared/services/telemetry';
import { sampleCatalog } from './factories';
import {
  createDeterministicRandom,
  createInstantSleep,
  createScriptedBus,
  createStaticCatalogs,
  unexpectedPort,
} from './fakes';

/** Delivery settings as a stage sets them: one-minute claims, 24 h waiting horizon, waits from 5 s to 5 min. */
export const DELIVERY_SETTINGS: DeliverySettings = {
  claimTtlMs: 60_000,
  maxBatchBytes: 262_144,
  maxRounds: 3,
  backoff: { baseMs: 100, capMs: 1_000 },
  waitBackoff: { baseMs: 5_000, capMs: 300_000 },
  waitingHorizonMs: 24 * 3_600_000,
  catalogGraceMs: 60_000,
};

/** Tokens token-1, token-2, … in call order. */
export const createTokenSequence = (prefix = 'token') => {
  let n = 0;
  return () => `${prefix}-${++n}`;
};

/**
 * Delivery deps for router us-east-1: a scripted bus, real breakers, the sample catalog, random 0.5,
 * instant sleeps and a clock at `now` (move it with `setNow`). The ledger is absent unless given: a
 * test of a pure step that reaches for it fails loudly.
 */
export const createDeliveryDeps = ({
  now = Date.parse('2026-11-27T10:00:11.000Z'),
  ledger,
  overrides = {},
}: { now?: number; ledger?: LedgerTable; overrides?: Partial<DeliveryDeps> } = {}) => {
  let clock = now;
  const bus = createScriptedBus();
  const metrics = createCountingMetrics();
  const log = createMemoryLog();
  const sleeper = createInstantSleep();
  const breakers = createBreakers(DEFAULT_BREAKER_SETTINGS, () => clock);
  const deps: DeliveryDeps = {
    region: 'us-east-1',
    ledger: ledger ?? unexpectedPort('ledger'),
    bus,
    catalogs: createStaticCatalogs(sampleCatalog()),
    breakers,
    regionUsable: () => true,
    metrics,
    log,
    now: () => new Date(clock),
    newToken: createTokenSequence(),
    random: createDeterministicRandom([0.5]).random,
    sleep: sleeper.sleep,
    settings: DELIVERY_SETTINGS,
    ...overrides,
  };
  return {
    deps,
    bus,
    breakers,
    metrics,
    log,
    delays: sleeper.delays,
    setNow: (ms: number) => {
      clock = ms;
    },
  };
};
