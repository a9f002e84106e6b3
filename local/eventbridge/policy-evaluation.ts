import { principalAccount, type LocalPrincipal } from '../aws/principals';
import type { PolicyStatement } from './bus-policy';
import { conditionHolds, wildcard, type ConditionKeys } from './policy-conditions';

/** Who asks to do what to which resource; the statement parts that do not depend on condition keys. */
export interface AccessRequest {
  principal: LocalPrincipal;
  action: string;
  resource: string;
}

/** The global condition keys every request carries, lower-cased. */
export const principalKeys = (principal: LocalPrincipal): Record<string, string> => ({
  'aws:principalarn': principal.arn,
  'aws:principalaccount': principal.accountId,
});

/** True when the statement names this principal, action (case-insensitive) and resource (its conditions aside). */
export const statementCovers = (statement: PolicyStatement, request: AccessRequest): boolean =>
  principalMatches(statement.principals, request.principal) &&
  statement.actions.some((action) => wildcard(action, 'i').test(request.action)) &&
  (statement.resources === undefined || statement.resources.some((r) => wildcard(r).test(request.resource)));

/** True when every condition of the statement that `select` picks holds (all conditions when omitted). */
export const conditionsHold = (
  statement: PolicyStatement,
  keys: ConditionKeys,
  select: (key: string) => boolean = () => true,
): boolean => statement.conditions.filter((c) => select(c.key)).every((c) => conditionHolds(c, keys));

/**
 * `*` is everyone; `arn:aws:iam::<account>:root` or a bare account id is every principal of that
 * account; a role ARN also covers that role's sessions (`assumed-role/<name>/<session>`).
 */
const principalMatches = (principals: '*' | string[], principal: LocalPrincipal): boolean => {
  if (principals === '*') return true;
  return principals.some((named) => {
    if (/^\d{12}$/.test(named)) return named === principal.accountId;
    const root = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(named);
    if (root) return root[1] === principalAccount(principal.arn);
    return named === principal.arn || named === roleOfSession(principal.arn);
  });
};

const roleOfSession = (arn: string): string | undefined => {
  const match = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : undefined;
};
