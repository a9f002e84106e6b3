import type { EventBusPublisher } from '../../shared/adapters/event-bus';
import type { PutEventsResultEntry } from '../../shared/domain/delivery/classify-result';
import type { OutboundEntry } from '../../shared/domain/delivery/outbound-entry';
import { TRACE_PREFIX } from '../../shared/domain/ingest/trace-namespace';
import type { BusCallFailedError } from '../../shared/domain/infrastructure-errors';

type EntryMatcher = (entry: OutboundEntry, region: string) => boolean;

/** Matches the outbound entries of one inbox item (by the `switchyard:key:` trace resource). */
export const entriesOf =
  (itemId: string, region?: string): EntryMatcher =>
  (entry, r) =>
    entry.Resources.includes(`${TRACE_PREFIX}key:${itemId}`) && (region === undefined || region === r);

/**
 * A bus whose per-entry results are programmed: each matching entry consumes the next scripted
 * result (e.g. InternalFailure, InternalFailure, then success); unscripted entries succeed.
 */
export const createScriptedBus = () => {
  const scripts: Array<{ match: EntryMatcher; results: PutEventsResultEntry[] }> = [];
  const callFailures: Array<{ region: string; error: BusCallFailedError; times: number }> = [];
  const calls: Array<{ region: string; entries: OutboundEntry[] }> = [];
  const accepted: Array<{ region: string; entry: OutboundEntry; eventId: string }> = [];
  let nextId = 1;
  const resultFor = (entry: OutboundEntry, region: string): PutEventsResultEntry => {
    const script = scripts.find((s) => s.match(entry, region) && s.results.length > 0);
    const scripted = script?.results.shift();
    if (scripted && !scripted.EventId) return scripted;
    const eventId = scripted?.EventId ?? `bus-event-${nextId++}`;
    accepted.push({ region, entry, eventId });
    return { EventId: eventId };
  };
  const bus: EventBusPublisher = {
    async putEvents(region, entries) {
      calls.push({ region, entries: [...entries] });
      const failure = callFailures.find((f) => f.region === region && f.times > 0);
      if (failure) {
        failure.times -= 1;
        throw failure.error;
      }
      return entries.map((entry) => resultFor(entry, region));
    },
  };
  return {
    ...bus,
    /** Programs the results of the entries `match` selects, consumed one per matching entry. */
    script(match: EntryMatcher, results: PutEventsResultEntry[]): void {
      scripts.push({ match, results: [...results] });
    },
    /** The next `times` PutEvents calls to `region` throw `error` as a whole. */
    failCalls(region: string, error: BusCallFailedError, times = 1): void {
      callFailures.push({ region, error, times });
    },
    calls,
    /** Entries the bus accepted (returned an EventId for), in order. */
    accepted,
  };
};

export type ScriptedBus = ReturnType<typeof createScriptedBus>;

/** A random source that returns the given values in turn (cycling) and counts how often it was asked. */
export const createDeterministicRandom = (values: readonly number[] = [0.5]) => {
  let calls = 0;
  const random = (): number => values[calls++ % values.length] ?? 0;
  return { random, calls: () => calls };
};

/** A sleep that returns at once and records each requested delay. */
export const createInstantSleep = () => {
  const delays: number[] = [];
  return {
    sleep: async (ms: number): Promise<void> => {
      delays.push(ms);
    },
    delays,
  };
};
