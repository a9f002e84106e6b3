import { z } from 'zod';
import { encodeKey, keyDigest, type KeyComponent } from '../../../domain/ingest/key-encoding';
import { AdminRequestError, type AdminDeps } from '../admin-deps';
import { defineAction } from '../registry';
import { compileCatalog } from '../../../domain/catalog';
import { ROUTES_REGISTER } from '../../health/health-deps';
import { readRegisterOrFail } from './quorum-registers';

const keyValue = z.union([z.string().min(1), z.number().int().refine(Number.isSafeInteger, 'must be a safe integer')]);

/** The typed key components an operator names: a string is `s`, a number `n` (as ingest reads them). */
const componentsOf = (values: ReadonlyArray<string | number>): KeyComponent[] =>
  values.map((v) => (typeof v === 'number' ? { type: 'n', value: v } : { type: 's', value: v }));

/** The key encoding up to and including the given components: every composite key that starts with them. */
const prefixOf = (source: string, components: KeyComponent[]): string => {
  const full = encodeKey(source, components).keyText ?? encodeKey(source, components).id;
  return `${full.slice(0, -1)},`;
};

export const erase = defineAction({
  name: 'erase',
  description:
    'Removes everything stored for one key of a source (inbox, ledger rows, duplicate records, quarantine) in every region of its zone; fewer key values than the source has erases every key that starts with them.',
  mutates: true,
  request: z
    .strictObject({
      source: z.string().min(1),
      key: z.array(keyValue).min(1).max(8).optional(),
      eventId: z.string().min(1).optional(),
    })
    .refine((r) => (r.key === undefined) !== (r.eventId === undefined), 'give exactly one of key (values) or eventId'),
  async run(request, deps) {
    const catalog = await activeCatalog(deps);
    const policy = catalog.sources.get(request.source);
    if (!policy)
      throw new AdminRequestError('UnknownSource', `source ${request.source} is not in the active routes catalog`);
    const zone = policy.residency;
    const regions = deps.zones.get(zone) ?? [];
    if (!regions.includes(deps.region)) {
      throw new AdminRequestError(
        'WrongRegion',
        `events of ${request.source} live in zone ${zone} (${regions.join(', ')}); run erase there so its data never leaves the zone (--region ${regions[0] ?? '?'}).`,
      );
    }
    const components: KeyComponent[] = request.eventId
      ? [{ type: 'e', value: request.eventId }]
      : componentsOf(request.key ?? []);
    const partial = !request.eventId && components.length < Math.max(1, policy.keyPaths.length);
    const ids = partial
      ? await deps.inbox.idsWithPrefix(zone, prefixOf(request.source, components))
      : [encodeKey(request.source, components).id];
    let inbox = 0;
    let ledgerRows = 0;
    const quarantine: Record<string, number> = {};
    const rawValue = JSON.stringify(request.eventId ?? request.key?.[0] ?? '');
    for (const id of ids) {
      if (await deps.inbox.delete(zone, id)) inbox += 1;
      ledgerRows += await deps.ledger.query.deleteAll(zone, id);
      for (const region of deps.regions) {
        quarantine[region] =
          (quarantine[region] ?? 0) +
          (await deps.quarantineOf(region).eraseMatching(request.source, keyDigest(id), rawValue));
      }
    }
    // A partial key names keys never stored in the inbox too (a version that was only quarantined):
    // their digests cannot be computed, so their quarantined events are found by the value they hold.
    if (partial) {
      for (const region of deps.regions) {
        quarantine[region] =
          (quarantine[region] ?? 0) + (await deps.quarantineOf(region).eraseMentioning(request.source, rawValue));
      }
    }
    return {
      zone,
      regions,
      keys: ids.length,
      keyDigests: ids.map(keyDigest),
      removed: { inbox, ledgerRows, quarantine },
    };
  },
});

const activeCatalog = async (deps: AdminDeps) => {
  const version = (await readRegisterOrFail(deps.quorum, ROUTES_REGISTER))?.value;
  if (typeof version !== 'number')
    throw new AdminRequestError('NoActiveCatalog', 'No routes catalog is active; publish and activate one first.');
  const document = await deps.control.getCatalogDocument(version, { consistent: true });
  if (document === undefined) {
    throw new AdminRequestError(
      'CatalogVersionNotFound',
      `Routes catalog version ${version} is active but has not reached ${deps.region} yet; retry in a few seconds.`,
    );
  }
  return compileCatalog(document);
};
