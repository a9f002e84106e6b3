import { physicalTableName } from './table-definitions';

/** Everything a Switchyard function reads from its environment, validated once at cold start. */
export interface RouterConfig {
  stage: string;
  region: string;
  stageRegions: readonly string[];
  primaryRegion: string;
  tables: { inbox: string; ledger: string; control: string; quarantine: string };
  ingressBusName: string;
  routesCacheTtlMs: number;
  maxEventBytes: number;
  retentionDays: number;
  /** Local cloud only: endpoint overrides. Never set on AWS. */
  dynamodbEndpoint?: string;
  eventBridgeEndpoint?: string;
}

/** A missing or invalid environment variable; the message names it and what it should hold. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(
      `Environment variable ${variable} ${problem}. Set it in serverless.yml (provider.environment) or the local cloud's function environment.`,
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const required = (env: Env, name: string): string => {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, 'is missing');
  return value;
};

const integer = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
};

const optionalUrl = (env: Env, name: string): string | undefined => {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  return raw;
};

/** Reads and validates the function environment; throws ConfigError naming the first bad variable. */
export const readConfig = (env: Env): Readonly<RouterConfig> => {
  const stage = required(env, 'STAGE');
  const region = required(env, 'AWS_REGION');
  const stageRegions = required(env, 'STAGE_REGIONS')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (!stageRegions.includes(region))
    throw new ConfigError('STAGE_REGIONS', `must include this function's region ${region}`);
  const config: RouterConfig = {
    stage,
    region,
    stageRegions,
    primaryRegion: env.PRIMARY_REGION?.trim() || stageRegions[0] || region,
    tables: {
      inbox: env.INBOX_TABLE?.trim() || physicalTableName(stage, 'inbox'),
      ledger: env.LEDGER_TABLE?.trim() || physicalTableName(stage, 'ledger'),
      control: env.CONTROL_TABLE?.trim() || physicalTableName(stage, 'control'),
      quarantine: env.QUARANTINE_TABLE?.trim() || physicalTableName(stage, 'quarantine'),
    },
    ingressBusName: env.INGRESS_BUS_NAME?.trim() || `switchyard-${stage}-ingress`,
    routesCacheTtlMs: integer(env, 'ROUTES_CACHE_TTL_SECONDS', 5, 0, 3600) * 1000,
    maxEventBytes: integer(env, 'MAX_EVENT_BYTES', 262_144, 1024, 1_048_576),
    retentionDays: integer(env, 'RETENTION_DAYS', 14, 1, 3650),
  };
  const dynamodbEndpoint = optionalUrl(env, 'DYNAMODB_ENDPOINT');
  const eventBridgeEndpoint = optionalUrl(env, 'EVENTBRIDGE_ENDPOINT');
  return Object.freeze({
    ...config,
    ...(dynamodbEndpoint ? { dynamodbEndpoint } : {}),
    ...(eventBridgeEndpoint ? { eventBridgeEndpoint } : {}),
  });
};
