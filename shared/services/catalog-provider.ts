import type { ControlTable } from '../adapters/control-table';
import { CatalogVersionNotFoundError, compileCatalog, NoActiveCatalogError, type Catalog } from '../domain/catalog';
import type { MetricsPort } from './telemetry';

export interface CatalogProvider {
  /** The active catalog version, cached for the TTL so ingest does not read the quorum store on every event. */
  active(): Promise<Catalog>;
  /** A given (immutable) version, cached for the container's life. */
  version(version: number): Promise<Catalog>;
}

export interface CatalogProviderDeps {
  control: Pick<ControlTable, 'getCatalogDocument'>;
  /** Reads the active version pointer (from the quorum store); undefined when none is active. */
  readActive: () => Promise<number | undefined>;
  /**
   * Reads this region's own copy of the pointer (one region's vote, perhaps older than the quorum's
   * answer). Used only when the quorum store does not answer and no pointer is known yet.
   */
  readActiveHere: () => Promise<number | undefined>;
  ttlMs: number;
  now: () => number;
  metrics: Pick<MetricsPort, 'count'>;
}

/** The active version as last read, and when. */
interface Pointer {
  version: number;
  fetchedAt: number;
}

/**
 * Serves compiled catalog versions from the control table with a short-lived active pointer. A
 * version just published may not have replicated here yet: a miss is read again strongly
 * consistent before it counts as missing. When the quorum store does not answer (partitioned away,
 * or slow), the last known pointer keeps ingest working, or, in a container that has none yet,
 * this region's own copy of it: a cold start must not depend on other regions (decision 019).
 * Either way the next call tries the quorum again. Concurrent callers share one read.
 */
export const createCatalogProvider = ({
  control,
  readActive,
  readActiveHere,
  ttlMs,
  now,
  metrics,
}: CatalogProviderDeps): CatalogProvider => {
  const versions = new Map<number, Promise<Catalog>>();
  let pointer: Pointer | undefined;
  const load = async (v: number): Promise<Catalog> => {
    const document =
      (await control.getCatalogDocument(v)) ?? (await control.getCatalogDocument(v, { consistent: true }));
    if (document === undefined) throw new CatalogVersionNotFoundError(v);
    return compileCatalog(document);
  };
  const version = (v: number): Promise<Catalog> => {
    let cached = versions.get(v);
    if (!cached) {
      cached = load(v);
      cached.catch(() => versions.delete(v));
      versions.set(v, cached);
    }
    return cached;
  };
  // One pointer read at a time: concurrent invocations of a container share it, so a slow quorum
  // store is not met by a herd of reads that each time out and keep it slow.
  let reading: Promise<Pointer> | undefined;
  const readPointer = (): Promise<Pointer> => {
    reading ??= readActive()
      .then((active) => {
        if (active === undefined) throw new NoActiveCatalogError();
        pointer = { version: active, fetchedAt: now() };
        return pointer;
      })
      .finally(() => (reading = undefined));
    return reading;
  };
  // This region's copy stands in for the quorum's answer until the quorum answers: known, never fresh.
  let readingHere: Promise<Pointer> | undefined;
  const readPointerHere = (unanswered: unknown): Promise<Pointer> => {
    readingHere ??= readActiveHere()
      .catch(() => undefined)
      .then((active) => {
        if (active === undefined) throw unanswered;
        pointer ??= { version: active, fetchedAt: Number.NEGATIVE_INFINITY };
        return pointer;
      })
      .finally(() => (readingHere = undefined));
    return readingHere;
  };
  return {
    version,
    async active() {
      let current = pointer;
      if (!current || now() - current.fetchedAt >= ttlMs) {
        try {
          current = await readPointer();
        } catch (error) {
          if (error instanceof NoActiveCatalogError) throw error;
          current = pointer ?? (await readPointerHere(error));
          metrics.count('RoutesPointerUnanswered');
        }
      }
      return version(current.version);
    },
  };
};
