import {
  grantsForCall,
  KEYED_TABLES,
  platformGrants,
  WRITE_ACTIONS,
  WRITE_KEYS,
  type PolicyContext,
} from './iam-expectations';
import type { SdkCall, SdkCallGraph } from './sdk-calls';

/**
 * Deps members that build an adapter over another region's client (shared/clients.ts
 * createRemoteDocumentClients): the adapter methods their declared type exposes, where the
 * function reaches them, address every stage region.
 */
export const REMOTE_FACTORIES = [
  'functions/health/handler.ts:peer',
  'functions/admin/handler.ts:peerCoord',
  'functions/admin/handler.ts:quarantineOf',
];

/** `action resource` → the partition keys a write is limited to (dynamodb:LeadingKeys), or null when unconditioned. */
export type GrantSet = Map<string, string[] | null>;

const isTableWrite = (grant: string): boolean => WRITE_ACTIONS.has(grant.split(' ')[0] ?? '');

/**
 * Everything a function's role must grant, derived from its code: each reached SDK call on the
 * ARNs it addresses, the platform grants, and for every write the leading keys of the adapter
 * methods that make it.
 */
export const expectedGrants = (graph: SdkCallGraph, fn: string, ctx: PolicyContext): GrantSet => {
  const handler = `functions/${fn}/handler.ts`;
  const reach = graph.reachFrom(handler);
  const grantsOf = (calls: readonly SdkCall[], remote: boolean, constants: ReadonlySet<string>): string[] =>
    calls.flatMap((call) => grantsForCall(call, ctx, { remote, constants }));

  const grants = new Set([...grantsOf(reach.calls, false, reach.constants), ...platformGrants(fn, ctx)]);
  for (const factory of REMOTE_FACTORIES.filter((f) => f.startsWith(`${handler}:`))) {
    for (const member of graph.membersReturnedBy(factory).filter((m) => reach.members.has(m))) {
      const own = graph.reachFromMember(member);
      grantsOf(own.calls, true, own.constants).forEach((g) => grants.add(g));
    }
  }

  const writers = [...reach.members]
    .filter((member) => member.startsWith('shared/adapters/'))
    .map((member) => {
      const own = graph.reachFromMember(member);
      return { member, grants: new Set(grantsOf(own.calls, false, own.constants).filter(isTableWrite)) };
    })
    .filter((writer) => writer.grants.size > 0);

  return new Map(
    [...grants].sort().flatMap((grant): Array<[string, string[] | null]> => {
      if (!isTableWrite(grant)) return [[grant, null]];
      const by = writers.filter((writer) => writer.grants.has(grant));
      const unlisted = by.filter((writer) => !WRITE_KEYS[writer.member]);
      const keyed = KEYED_TABLES.some((kind) => grant.endsWith(`:table/switchyard-${ctx.stage}-${kind}`));
      if (keyed && (by.length === 0 || unlisted.length > 0))
        throw new Error(
          `${fn} writes a shared table (${grant}) through ${unlisted.map((w) => w.member).join(', ') || 'code outside the adapters'}; add the partition keys it writes to WRITE_KEYS in test/package/helpers/iam-expectations.ts.`,
        );
      if (by.length === 0 || unlisted.length > 0) return [[grant, null]];
      const keys = new Set(by.flatMap((writer) => WRITE_KEYS[writer.member]?.(ctx) ?? []));
      // No key it could write (health of a one-region stage records no outage): no grant at all.
      return keys.size > 0 ? [[grant, [...keys].sort()]] : [];
    }),
  );
};
