import type { FaultRegistry, RegionFaults } from '../faults/fault-registry';
import { resolveBusReference } from './arns';
import type { JsonObject } from './request-fields';

/**
 * The faults that apply to one request. `byBus` is set when bus-scoped faults hit some of a
 * PutEvents call's entries but not all: the call then goes through and only those buses' entries fail.
 */
export interface FaultScope {
  faults: RegionFaults;
  byBus?: ReadonlyMap<string, RegionFaults>;
}

/** Operations whose bus is the `Name` member; every other bus-bound operation names it `EventBusName`. */
const NAMED_BY_NAME = new Set(['CreateEventBus', 'DescribeEventBus', 'DeleteEventBus']);
const BUSLESS = new Set(['ListEventBuses', 'TestEventPattern']);

/** The bus names a request touches, from its raw input (before validation, so malformed input gives none). */
export const requestBuses = (operation: string, input: JsonObject): string[] => {
  if (BUSLESS.has(operation)) return [];
  if (operation === 'PutEvents') {
    const entries = Array.isArray(input.Entries) ? (input.Entries as unknown[]) : [];
    return [...new Set(entries.map((entry) => busOf((entry as JsonObject | null)?.EventBusName)))];
  }
  return [busOf(NAMED_BY_NAME.has(operation) ? input.Name : input.EventBusName)];
};

/**
 * Matches the region's events faults against the request's operation and buses. A region-wide
 * fault, or one bus's fault on a call naming only that bus (or faults taking every bus of the call
 * down alike), hits the whole call; otherwise only the faulted buses' entries.
 */
export const matchRequestFaults = (
  registry: FaultRegistry,
  region: string,
  operation: string,
  input: JsonObject,
): FaultScope | undefined => {
  const buses = requestBuses(operation, input);
  const candidates: Array<string | undefined> = buses.length > 0 ? buses : [undefined];
  const matches = candidates.flatMap((bus) => {
    const faults = registry.match({ service: 'events', region, operation, bus });
    return faults ? [[bus ?? '', faults] as const] : [];
  });
  const first = matches[0]?.[1];
  if (!first) return undefined;
  const regionWide = matches.find(([, faults]) => faults.bus === undefined);
  if (regionWide) return { faults: regionWide[1] };
  const everyBus = matches.length === buses.length;
  const alike =
    matches.length === 1 || matches.every(([, faults]) => faults.down !== undefined && faults.down === first.down);
  return everyBus && alike ? { faults: first } : { faults: first, byBus: new Map(matches) };
};

const busOf = (nameOrArn: unknown): string =>
  resolveBusReference(typeof nameOrArn === 'string' ? nameOrArn : undefined).busName;
