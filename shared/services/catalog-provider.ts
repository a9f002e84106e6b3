import type { ControlTable } from '../adapters/control-table';
import { CatalogVersionNotFoundError, compileCatalog, NoActiveCatalogError, type Catalog } from '../domain/catalog';

export interface CatalogProvider {
  /** The active catalog version, cached for the TTL so ingest does not read control on every event. */
  active(): Promise<Catalog>;
  /** A given (immutable) version, cached for the container's life. */
  version(version: number): Promise<Catalog>;
}

/** Serves compiled catalog versions from the control table with a short-lived active pointer. */
export const createCatalogProvider = ({
  control,
  ttlMs,
  now,
}: {
  control: ControlTable;
  ttlMs: number;
  now: () => number;
}): CatalogProvider => {
  const versions = new Map<number, Promise<Catalog>>();
  let pointer: { version: number; fetchedAt: number } | undefined;
  const version = (v: number): Promise<Catalog> => {
    let cached = versions.get(v);
    if (!cached) {
      cached = control.getCatalogDocument(v).then((document) => {
        if (document === undefined) throw new CatalogVersionNotFoundError(v);
        return compileCatalog(document);
      });
      cached.catch(() => versions.delete(v));
      versions.set(v, cached);
    }
    return cached;
  };
  return {
    version,
    async active() {
      if (!pointer || now() - pointer.fetchedAt >= ttlMs) {
        const active = await control.getActiveVersion();
        if (active === undefined) throw new NoActiveCatalogError();
        pointer = { version: active, fetchedAt: now() };
      }
      return version(pointer.version);
    },
  };
};
