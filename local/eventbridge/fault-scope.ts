import type { FaultRegistry, RegionFaults } from '../faults/fault-registry';
import { resolveBusReference } from './arns';
import type { JsonObject } from './request-fields';

/**
 * The faults that apply to one request. `onlyBus` is set when a bus-scoped fault hits some of a
 * PutEvents call's entries but not all: the call then goes through and only that bus's entries fail.
 */
export interface FaultScope {
  faults: RegionFaults;
  onlyBus?: string;
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

/** Matches the region's events faults against the request's operation and buses. */
export const matchRequestFaults = (
  registry: FaultRegistry,
  region: string,
  operation: string,
  input: JsonObject,
): FaultScope | undefined => {
  const buses = requestBuses(operation, input);
  const candidates: Array<string | undefined> = buses.length > 0 ? buses : [undefined];
  for (const bus of candidates) {
    const faults = registry.match({ service: 'events', region, operation, bus });
    if (!faults) continue;
    const partial = faults.bus !== undefined && buses.some((other) => other !== faults.bus);
    return partial ? { faults, onlyBus: faults.bus } : { faults };
  }
  return undefined;
};

const busOf = (nameOrArn: unknown): string =>
  resolveBusReference(typeof nameOrArn === 'string' ? nameOrArn : undefined).busName;
