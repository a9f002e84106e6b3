import type { LocalPrincipal } from '../aws/principals';
import type { PolicyStatement } from './bus-policy';
import { EventBridgeApiError } from './errors';
import { conditionsHold, principalKeys, statementCovers } from './policy-evaluation';
import type { EntryError } from './put-events-validation';
import type { EventBridgeStore, EventBus } from './store';

/** Condition keys whose value differs per PutEvents entry. */
const ENTRY_KEYS: ReadonlySet<string> = new Set(['events:source', 'events:detail-type']);
const isEntryKey = (key: string): boolean => ENTRY_KEYS.has(key);
const isCallKey = (key: string): boolean => !ENTRY_KEYS.has(key);

const ACTION = 'events:PutEvents';

/** Checks one entry against its bus's policy; undefined when it may be put. */
export type EntryAuthorizer = (
  busName: string,
  entry: { source?: string; detailType?: string },
) => EntryError | undefined;

/**
 * Authorizes a PutEvents call for the caller against the policy of every bus it names. A bus
 * without a policy lets every principal of the account publish. A principal that no statement
 * could allow (or that a statement without entry conditions denies) fails the whole call with
 * AccessDeniedException; otherwise entries whose source or detail-type the policy does not allow
 * fail one by one.
 */
export const authorizePutEvents = (
  store: EventBridgeStore,
  region: string,
  caller: LocalPrincipal,
  busNames: readonly string[],
): EntryAuthorizer => {
  const callKeys = principalKeys(caller);
  const applicable = new Map<string, PolicyStatement[]>();
  for (const busName of new Set(busNames)) {
    const bus = store.findBus(region, busName);
    if (!bus?.policy) continue;
    const statements = bus.policy.statements.filter(
      (s) =>
        statementCovers(s, { principal: caller, action: ACTION, resource: bus.arn }) &&
        conditionsHold(s, callKeys, isCallKey),
    );
    assertCallAllowed(bus, caller, statements);
    applicable.set(busName, statements);
  }
  return (busName, entry) => {
    const statements = applicable.get(busName);
    if (!statements) return undefined;
    const keys = { ...callKeys, 'events:source': entry.source, 'events:detail-type': entry.detailType };
    return entryDecision(statements, keys);
  };
};

const assertCallAllowed = (bus: EventBus, caller: LocalPrincipal, statements: PolicyStatement[]): void => {
  const unconditionalDeny = statements.some((s) => s.effect === 'Deny' && !s.conditions.some((c) => isEntryKey(c.key)));
  if (unconditionalDeny) throw accessDenied(caller, bus, 'with an explicit deny in a resource-based policy');
  if (!statements.some((s) => s.effect === 'Allow'))
    throw accessDenied(caller, bus, `because no resource-based policy allows the ${ACTION} action`);
};

/** Explicit deny wins, then any allow; a refusal blames the source unless some allow accepts the source. */
const entryDecision = (
  statements: PolicyStatement[],
  keys: Record<string, string | undefined>,
): EntryError | undefined => {
  const deny = statements.find((s) => s.effect === 'Deny' && conditionsHold(s, keys));
  if (deny) return deny.conditions.some((c) => c.key === 'events:source') ? NOT_FOR_SOURCE : NOT_FOR_DETAIL_TYPE;
  const allows = statements.filter((s) => s.effect === 'Allow');
  if (allows.some((s) => conditionsHold(s, keys))) return undefined;
  const sourceAllowed = allows.some((s) => conditionsHold(s, keys, (key) => key === 'events:source'));
  return sourceAllowed ? NOT_FOR_DETAIL_TYPE : NOT_FOR_SOURCE;
};

/** The message observed from AWS for a source a policy does not allow. */
const NOT_FOR_SOURCE: EntryError = {
  ErrorCode: 'NotAuthorizedForSourceException',
  ErrorMessage: 'Not authorized for the source.',
};

/** Modeled code; the message is assumed by analogy with the source one. */
const NOT_FOR_DETAIL_TYPE: EntryError = {
  ErrorCode: 'NotAuthorizedForDetailTypeException',
  ErrorMessage: 'Not authorized for the detail type.',
};

/** IAM's access-denied text: `User: <arn> is not authorized to perform: <action> on resource: <arn> <reason>`. */
const accessDenied = (caller: LocalPrincipal, bus: EventBus, reason: string): EventBridgeApiError =>
  new EventBridgeApiError(
    'AccessDeniedException',
    `User: ${caller.arn} is not authorized to perform: ${ACTION} on resource: ${bus.arn} ${reason}`,
  );
