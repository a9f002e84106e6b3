import { createHash } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from './credentials';

/**
 * The IAM identity the local cloud attributes a request to. The local cloud checks no signatures,
 * so the access key id alone names the caller; see the naming scheme in `principalForAccessKey`.
 */
export interface LocalPrincipal {
  /** What `aws sts get-caller-identity` shows as Arn, and what policies match on. */
  arn: string;
  accountId: string;
  /** STS's UserId: a stable unique id, `<role id>:<session>` for an assumed role. */
  userId: string;
  kind: 'user' | 'role' | 'assumed-role';
}

/** The role the local cloud's own functions run as; the session name is the region. */
export const LOCAL_FUNCTIONS_ROLE = 'switchyard-local-functions';

/** Who every request is from unless its access key id names someone else (`switchyardlocal`, `local`, ...). */
export const DEFAULT_PRINCIPAL_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local`;

/** IAM user and role names: 1-64 of letters, digits and `+=,.@_-`. */
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/**
 * Maps a SigV4 access key id to a principal of the local account: `role-<name>` is the role
 * `<name>`, `user-<name>` the user `<name>`, `fn-<region>` the local functions' role session for
 * that region, and any other key (or none) the default user `local`.
 */
export const principalForAccessKey = (accessKeyId: string | undefined): LocalPrincipal => {
  const [, prefix, name] = /^(role|user|fn)-(.+)$/.exec(accessKeyId ?? '') ?? [];
  if (prefix === 'role' && name && IAM_NAME.test(name)) return rolePrincipal(name);
  if (prefix === 'user' && name && IAM_NAME.test(name)) return userPrincipal(name);
  if (prefix === 'fn' && name && REGION.test(name)) return functionsPrincipal(name);
  return userPrincipal('local');
};

/** The account of an IAM or STS principal ARN (what `arn:aws:iam::<account>:root` grants to), or undefined. */
export const principalAccount = (arn: string): string | undefined =>
  /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];

const userPrincipal = (name: string): LocalPrincipal => {
  const arn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${name}`;
  return { arn, accountId: LOCAL_ACCOUNT_ID, userId: uniqueId('AIDA', arn), kind: 'user' };
};

const rolePrincipal = (name: string): LocalPrincipal => {
  const arn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${name}`;
  return { arn, accountId: LOCAL_ACCOUNT_ID, userId: uniqueId('AROA', arn), kind: 'role' };
};

const functionsPrincipal = (region: string): LocalPrincipal => {
  const roleId = uniqueId('AROA', `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${LOCAL_FUNCTIONS_ROLE}`);
  return {
    arn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${LOCAL_FUNCTIONS_ROLE}/${region}`,
    accountId: LOCAL_ACCOUNT_ID,
    userId: `${roleId}:${region}`,
    kind: 'assumed-role',
  };
};

/** IAM unique ids are a type prefix and 17 upper-case characters; derived from the ARN so they are stable. */
const uniqueId = (prefix: 'AIDA' | 'AROA', arn: string): string =>
  `${prefix}${createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase()}`;
