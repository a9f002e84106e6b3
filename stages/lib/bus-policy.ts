/**
 * The ingress bus policy: each publisher may publish only its tenants' sources (docs/decisions/004,
 * issue "sources bound to publishers"). Same-account principals can be allowed by their identity
 * policies whatever the bus policy allows, so the binding is written as explicit denies: everyone
 * not listed is denied, and every listed principal is denied the sources it is not bound to. The
 * allows admit listed principals of other accounts. serverless.yml and the local cloud both use it.
 */
import type { StageConfig } from './stage-file';

/** An account root, `arn:<partition>:iam::<account>:root`; partition and account may be pseudo parameters. */
export const ACCOUNT_ROOT = /^(arn:(?:aws[\w-]*|\$\{AWS::Partition\}):iam::(\d{12}|\$\{AWS::AccountId\})):root$/;

/** A principal as an ARN pattern: a root stands for every principal of its account. */
export const principalPattern = (arn: string): string => arn.replace(ACCOUNT_ROOT, '$1:*');

const sid = (text: string): string => text.replace(/[^A-Za-z0-9]/g, '');

/** Which sources each principal may publish, over every tenant it is bound to. */
export const sourcesByPrincipal = (config: StageConfig): Map<string, string[]> => {
  const map = new Map<string, Set<string>>();
  for (const binding of Object.values(config.publishers)) {
    for (const principal of binding.principals) {
      const set = map.get(principal) ?? new Set<string>();
      binding.sources.forEach((s) => set.add(s));
      map.set(principal, set);
    }
  }
  return new Map([...map].map(([p, s]) => [p, [...s].sort()]));
};

/**
 * The bus policy document. `wrap` turns a string holding pseudo parameters into what the template
 * needs (`Fn::Sub` on AWS; identity locally, where ARNs are literal).
 */
export const ingressBusPolicy = <T>(config: StageConfig, busArn: T, wrap: (text: string) => T | string) => {
  const byPrincipal = sourcesByPrincipal(config);
  return {
    Version: '2012-10-17',
    Statement: [
      ...Object.entries(config.publishers).map(([tenant, binding]) => ({
        Sid: sid(`Publish-${tenant}`),
        Effect: 'Allow',
        Principal: { AWS: binding.principals.map(wrap) },
        Action: 'events:PutEvents',
        Resource: busArn,
        Condition: { StringEquals: { 'events:source': binding.sources } },
      })),
      {
        Sid: 'DenyUnlistedPrincipals',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: busArn,
        Condition: {
          ArnNotLike: { 'aws:PrincipalArn': [...byPrincipal.keys()].map((p) => wrap(principalPattern(p))) },
        },
      },
      ...[...byPrincipal].map(([principal, sources], i) => ({
        Sid: `DenyOtherSources${i}`,
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Resource: busArn,
        Condition: {
          ArnLike: { 'aws:PrincipalArn': wrap(principalPattern(principal)) },
          StringNotEquals: { 'events:source': sources },
        },
      })),
    ],
  };
};
