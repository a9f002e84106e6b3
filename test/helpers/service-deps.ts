import type { InboxItem } from '../../shared/domain/ingest/ingress-event';
import { claimDeliveries, type ClaimDeps, type ClaimedDelivery } from '../../shared/services/claim-deliveries';
import { createCountingSink } from '../../shared/services/delivery-metrics';
import { createCatalogProvider } from '../../shared/services/catalog-provider';
import type { RouteDeps } from '../../shared/services/route-records';
import type { SendDeps } from '../../shared/services/send-deliveries';
import { ALL_REGIONS, buildPlannedDelivery, sampleCatalogDocument } from './factories';
import {
  createDeterministicRandom,
  createFakeControl,
  createFakeLedger,
  createInstantSleep,
  createScriptedBus,
  type FakeLedger,
} from './fakes';

export const NOW = new Date('2026-11-27T10:00:05.000Z');

/** Tokens token-1, token-2, … in call order. */
export const createTokenSequence = (prefix = 'token') => {
  let n = 0;
  return () => `${prefix}-${++n}`;
};

/** Claim deps backed by a fake ledger, owner us-east-1 at epoch 1. */
export const createClaimDeps = (overrides: Partial<Omit<ClaimDeps, 'ledger'>> & { ledger?: FakeLedger } = {}) => {
  const ledger = overrides.ledger ?? createFakeLedger();
  const metrics = createCountingSink();
  const deps: ClaimDeps = {
    owner: 'us-east-1',
    epoch: 1,
    now: NOW,
    newToken: createTokenSequence(),
    retentionDays: 14,
    metrics,
    ...overrides,
    ledger,
  };
  return { deps, ledger, metrics };
};

/** Send deps backed by a scripted bus and a fake ledger, with instant sleeps and a fixed random. */
export const createSendDeps = (overrides: Partial<SendDeps> = {}) => {
  const ledger = createFakeLedger();
  const bus = createScriptedBus();
  const metrics = createCountingSink();
  const sleeper = createInstantSleep();
  const random = createDeterministicRandom([0.5]);
  const deps: SendDeps = {
    bus,
    ledger,
    metrics,
    now: () => NOW,
    random: random.random,
    sleep: sleeper.sleep,
    maxBatchBytes: 262_144,
    maxRounds: 3,
    backoff: { baseMs: 100, capMs: 1_000 },
    ...overrides,
  };
  return { deps, ledger, bus, metrics, delays: sleeper.delays, random };
};

/** Route deps for region us-east-1 with the sample catalog published as version 1 and every region available. */
export const createRouteDeps = (overrides: Partial<RouteDeps> = {}) => {
  const control = createFakeControl({
    documents: { 1: sampleCatalogDocument() },
    active: 1,
    epochs: { 'us-east-1': 3 },
  });
  const send = createSendDeps();
  const deps: RouteDeps = {
    ...send.deps,
    region: 'us-east-1',
    control,
    catalogs: createCatalogProvider({ control, ttlMs: 5_000, now: () => NOW.getTime() }),
    availableRegions: () => ALL_REGIONS,
    newToken: createTokenSequence(),
    retentionDays: 14,
    ...overrides,
  };
  return { ...send, deps, control };
};

/** Claims one delivery per item (to `target` in `region`) in the send fixture's ledger. */
export const claimEach = async (
  send: { ledger: FakeLedger },
  items: InboxItem[],
  region = 'us-east-1',
  target = 'fulfilment',
): Promise<ClaimedDelivery[]> => {
  const { deps } = createClaimDeps({ ledger: send.ledger });
  const claimed = await Promise.all(
    items.map((item) => claimDeliveries(item, [buildPlannedDelivery(target, region)], deps)),
  );
  return claimed.flat();
};
