import type { ControlTable } from '../adapters/control-table';
import { CatalogVersionNotFoundError, compileCatalog, NoActiveCatalogError, type Catalog } from '../domain/catalog';

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
  ttlMs: number;
  now: () => number;
}

/** The active version as last read, and when. */
interface Pointer {
  version: number;
  fetchedAt: number;
}

/**
 * Serves compiled catalog versions from the control table with a short-lived active pointer. A
 * version just published may not have replicated here yet: a miss is read again strongly
 * consistent before it counts as missing. When the pointer cannot be read (the quorum store is
 * partitioned away), the last known pointer keeps ingest working; concurrent callers share one read.
 */
export const createCatalogProvider = ({ control, readActive, ttlMs, now }: CatalogProviderDeps): CatalogProvider => {
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
  return {
    version,
    async active() {
      let current = pointer;
      if (!current || now() - current.fetchedAt >= ttlMs) {
        try {
          current = await readPointer();
        } catch (error) {
          if (!current || error instanceof NoActiveCatalogError) throw error;
        }
      }
      return version(current.version);
    },
  };
};
