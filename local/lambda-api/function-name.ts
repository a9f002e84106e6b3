import { LOCAL_ACCOUNT_ID } from '../aws/credentials';
import { LambdaApiError } from './http-io';

/** The function an Invoke names, in the caller's region, with the ARN Lambda's messages quote. */
export interface FunctionRef {
  functionName: string;
  qualifier?: string;
  arn: string;
}

const NAME = '[A-Za-z0-9_-]{1,64}';
const QUALIFIER = '(?::([\\w$-]{1,128}))?';
const FULL_ARN = new RegExp(`^arn:aws[\\w-]*:lambda:([a-z0-9-]+):(\\d{12}):function:(${NAME})${QUALIFIER}$`);
const PARTIAL_ARN = new RegExp(`^(\\d{12}):function:(${NAME})${QUALIFIER}$`);
const PLAIN = new RegExp(`^(${NAME})${QUALIFIER}$`);

/**
 * Reads FunctionName as Lambda accepts it: a name, a full ARN or a partial ARN
 * (`<account>:function:<name>`), each with an optional `:<qualifier>`, which may also come from
 * the Qualifier query parameter. Only `$LATEST` exists locally, and only in the caller's region.
 * With `stage`, the deployed name `switchyard-<stage>-<fn>` also reaches the local function `<fn>`,
 * so a tool calls a function by the same name locally and on AWS.
 */
export const resolveFunctionName = (
  raw: string,
  region: string,
  qualifierParam?: string,
  stage?: string,
): FunctionRef => {
  const full = FULL_ARN.exec(raw);
  const partial = full ? null : PARTIAL_ARN.exec(raw);
  const plain = full || partial ? null : PLAIN.exec(raw);
  const [arnRegion, account, name, qualifier] = full
    ? [full[1], full[2], full[3], full[4]]
    : partial
      ? [region, partial[1], partial[2], partial[3]]
      : [region, LOCAL_ACCOUNT_ID, plain?.[1], plain?.[2]];
  if (!name) {
    throw new LambdaApiError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  }
  const effective = qualifier ?? qualifierParam;
  const ref: FunctionRef = {
    functionName: localName(name, stage),
    qualifier: effective,
    arn: `arn:aws:lambda:${arnRegion}:${account}:function:${name}${effective ? `:${effective}` : ''}`,
  };
  const elsewhere = arnRegion !== region || account !== LOCAL_ACCOUNT_ID;
  if (elsewhere || (effective !== undefined && effective !== '$LATEST')) throw functionNotFound(ref);
  return ref;
};

/** The local runtime knows functions by their short name; the stage's deployed name is an alias of it. */
const localName = (name: string, stage: string | undefined): string => {
  const prefix = stage ? `switchyard-${stage}-` : undefined;
  return prefix && name.length > prefix.length && name.startsWith(prefix) ? name.slice(prefix.length) : name;
};

/** 404 ResourceNotFoundException; Lambda's text names the function by its ARN, in the model's `Message` member. */
export const functionNotFound = (target: FunctionRef): LambdaApiError =>
  new LambdaApiError(404, 'ResourceNotFoundException', `Function not found: ${target.arn}`, 'Message');
