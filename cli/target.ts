import { functionName } from '../shared/resource-names';
import { UsageError } from './cli-errors';

/** Where `npm start` serves Lambda Invoke and STS (`DEFAULT_PORTS.lambda` in local/cloud/local-cloud.ts). */
export const LOCAL_ENDPOINT = 'http://127.0.0.1:4020';
/** The local cloud's primary region. */
export const LOCAL_REGION = 'us-east-1';
/** The stage `npm start` deploys (`LOCAL_STAGE` in local/cloud/local-stage.ts). */
export const LOCAL_STAGE = 'local';
/** Credentials for the local cloud when none are configured: it checks no signatures, and `local` maps to user/local. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The options every command takes, before they are resolved into a target. */
export interface GlobalOptions {
  endpoint?: string;
  region?: string;
  stage?: string;
  json?: boolean;
}

/** The admin function one run talks to: on the local cloud (an endpoint) or on AWS. */
export interface Target {
  mode: 'local' | 'aws';
  /** Lambda (and, locally, STS) endpoint; undefined on AWS, where the SDK picks it from the region. */
  endpoint?: string;
  region: string;
  stage: string;
  functionName: string;
  /** Explicit credentials, or undefined for the SDK's default chain (env, profile, SSO, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Decides where a run goes. `--stage <name>` (other than `local`) without `--endpoint` targets AWS
 * with the default credential chain; anything else targets the local cloud, with local credentials
 * unless the environment configures some.
 */
export const resolveTarget = (options: GlobalOptions, env: NodeJS.ProcessEnv): Target => {
  const stage = options.stage ?? LOCAL_STAGE;
  const mode = options.endpoint === undefined && stage !== LOCAL_STAGE ? 'aws' : 'local';
  const region = options.region ?? (mode === 'aws' ? (env.AWS_REGION ?? env.AWS_DEFAULT_REGION) : LOCAL_REGION);
  if (!region) {
    throw new UsageError(
      `--stage ${stage} targets AWS and needs the region whose admin function to call.`,
      `add --region, e.g. npx switchyard --stage ${stage} --region eu-west-1 region status`,
    );
  }
  if (!REGION.test(region)) throw new UsageError(`--region ${region} is not a region name.`, 'e.g. --region eu-west-1');
  const base = { region, stage, functionName: functionName(stage, 'admin') };
  if (mode === 'aws') return { mode, ...base };
  const endpoint = parseEndpoint(options.endpoint ?? LOCAL_ENDPOINT);
  const configured = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  return { mode, endpoint, ...base, ...(configured ? {} : { credentials: { ...LOCAL_CREDENTIALS } }) };
};

const parseEndpoint = (text: string): string => {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // reported below, with an example
  }
  throw new UsageError(`--endpoint ${text} is not an http(s) URL.`, `e.g. --endpoint ${LOCAL_ENDPOINT}`);
};
