/** The account the offline templates are read as; any 12 digits would do. */
export const ACCOUNT = '111122223333';

/**
 * Turns a CloudFormation value into comparable strings: pseudo parameters are substituted for
 * the region under test, and references to other resources stay symbolic (`GetAtt:Queue.Arn`,
 * `Import:name`, `Ref:Bus`) so a test can say exactly which resource a policy names.
 */
export const resolveValue = (value: unknown, region: string): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((item) => resolveValue(item, region));
  const entry =
    value && typeof value === 'object' ? (Object.entries(value)[0] as [string, unknown] | undefined) : undefined;
  if (entry) {
    const [fn, arg] = entry;
    if (fn === 'Fn::Sub' && typeof arg === 'string') {
      return [
        arg
          .replace(/\$\{AWS::Region\}/g, region)
          .replace(/\$\{AWS::AccountId\}/g, ACCOUNT)
          .replace(/\$\{AWS::Partition\}/g, 'aws'),
      ];
    }
    if (fn === 'Fn::GetAtt' && Array.isArray(arg)) return [`GetAtt:${arg.join('.')}`];
    if (fn === 'Fn::ImportValue' && typeof arg === 'string') return [`Import:${arg}`];
    if (fn === 'Ref' && typeof arg === 'string')
      return [arg === 'AWS::Region' ? region : arg === 'AWS::AccountId' ? ACCOUNT : `Ref:${arg}`];
  }
  throw new Error(
    `Unsupported CloudFormation value in a policy: ${JSON.stringify(value)}; teach resolveValue about it.`,
  );
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** An allowed action on one resource, as `action resource`, with the statement's condition keys. */
export interface Grant {
  action: string;
  resource: string;
  conditionKeys: string[];
  /** The partition keys a DynamoDB write is limited to (`ForAllValues:StringLike` on `dynamodb:LeadingKeys`). */
  leadingKeys?: string[];
}

const leadingKeysOf = (statement: Statement): string[] | undefined => {
  const keys = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
  if (keys === undefined) return undefined;
  return (Array.isArray(keys) ? keys : [keys]).map(String);
};

/** Flattens an IAM role's inline policies into one grant per (action, resource). */
export const grantsOfRole = (role: { Properties?: Record<string, unknown> }, region: string): Grant[] => {
  const policies = (role.Properties?.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>;
  return policies.flatMap((policy) =>
    policy.PolicyDocument.Statement.flatMap((statement) => {
      if (statement.Effect !== 'Allow') return [];
      const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      const resources = resolveValue(statement.Resource, region);
      const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
      const leadingKeys = leadingKeysOf(statement);
      return actions.flatMap((action) =>
        resources.map((resource) => ({ action, resource, conditionKeys, ...(leadingKeys ? { leadingKeys } : {}) })),
      );
    }),
  );
};

/**
 * A role's grants as `action resource` → the leading keys it may write, or null when a statement
 * allows it unconditioned (statements allowing the same pair add up, as IAM evaluates them).
 */
export const grantSetOfRole = (
  role: { Properties?: Record<string, unknown> },
  region: string,
): Map<string, string[] | null> => {
  const set = new Map<string, string[] | null>();
  for (const grant of grantsOfRole(role, region)) {
    const key = `${grant.action} ${grant.resource}`;
    const before = set.get(key);
    if (before === null || !grant.leadingKeys) set.set(key, null);
    else set.set(key, [...new Set([...(before ?? []), ...grant.leadingKeys])].sort());
  }
  return new Map([...set].sort(([a], [b]) => a.localeCompare(b)));
};
