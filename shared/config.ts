import { ingressBusName } from './resource-names';
import { stageTableName, zoneTableName, type ZoneTableName } from './table-definitions';

/** Who may publish each tenant's sources (stages/<stage>.yml publishers), as ingest checks it. */
export interface TenantBinding {
  sources: ReadonlySet<string>;
  /** Accounts of the bound principals; ingest compares the event's `account`. */
  accounts: ReadonlySet<string>;
}

/** Everything a Switchyard function reads from its environment, validated once at cold start. */
export interface RouterConfig {
  stage: string;
  region: string;
  stageRegions: readonly string[];
  primaryRegion: string;
  /** The stage's residency zones (the ceiling for every catalog), zone → regions. */
  zones: ReadonlyMap<string, readonly string[]>;
  /** The zones with a replica in this region. */
  localZones: readonly string[];
  tables: {
    control: string;
    quarantine: string;
    coord: string;
    zone: (zone: string, logical: ZoneTableName) => string;
  };
  ingressBusName: string;
  bindings: ReadonlyMap<string, TenantBinding>;
  routesCacheTtlMs: number;
  maxEventBytes: number;
  hopLimit: number;
  retention: { defaultDays: number; zoneDays: Readonly<Record<string, number>> };
  health: { tickMs: number; runMs: number; leaseMs: number; marginMs: number; regionTimeoutMs: number };
  sweeper: { passMs: number; runMs: number; graceMs: number; claimTimeoutMs: number; waitingHorizonMs: number };
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

const json = <T>(env: Env, name: string, fallback: T, check: (value: unknown) => value is T, shape: string): T => {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, `must be JSON (${shape}), got "${raw.slice(0, 80)}"`);
  }
  if (!check(value)) throw new ConfigError(name, `must be ${shape}`);
  return value;
};

const optionalUrl = (env: Env, name: string): string | undefined => {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  return raw;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');
const isZones = (value: unknown): value is Record<string, string[]> =>
  isRecord(value) && Object.values(value).every((v) => isStringList(v) && v.length > 0);
const isBindings = (value: unknown): value is Record<string, { sources: string[]; accounts: string[] }> =>
  isRecord(value) &&
  Object.values(value).every((b) => isRecord(b) && isStringList(b.sources) && isStringList(b.accounts));
const isDays = (value: unknown): value is Record<string, number> =>
  isRecord(value) && Object.values(value).every((v) => Number.isInteger(v) && (v as number) > 0);

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
  const zones = json(env, 'ZONES', { default: stageRegions }, isZones, 'an object of zone → list of regions');
  for (const [zone, regions] of Object.entries(zones)) {
    const outside = regions.find((r) => !stageRegions.includes(r));
    if (outside) throw new ConfigError('ZONES', `names ${outside} in zone ${zone}, which is not in STAGE_REGIONS`);
  }
  const bindings = json(env, 'TENANT_BINDINGS', {}, isBindings, 'an object of tenant → {sources, accounts}');
  const endpoints = {
    dynamodbEndpoint: optionalUrl(env, 'DYNAMODB_ENDPOINT'),
    eventBridgeEndpoint: optionalUrl(env, 'EVENTBRIDGE_ENDPOINT'),
  };
  return Object.freeze({
    stage,
    region,
    stageRegions,
    primaryRegion: env.PRIMARY_REGION?.trim() || stageRegions[0] || region,
    zones: new Map(Object.entries(zones)),
    localZones: Object.entries(zones)
      .filter(([, regions]) => regions.includes(region))
      .map(([zone]) => zone),
    tables: {
      control: stageTableName(stage, 'control'),
      quarantine: stageTableName(stage, 'quarantine'),
      coord: stageTableName(stage, 'coord'),
      zone: (zone: string, logical: ZoneTableName) => zoneTableName(stage, zone, logical),
    },
    ingressBusName: env.INGRESS_BUS_NAME?.trim() || ingressBusName(stage),
    bindings: new Map(
      Object.entries(bindings).map(([tenant, b]) => [
        tenant,
        { sources: new Set(b.sources), accounts: new Set(b.accounts) },
      ]),
    ),
    routesCacheTtlMs: integer(env, 'ROUTES_CACHE_TTL_SECONDS', 5, 0, 3600) * 1000,
    maxEventBytes: integer(env, 'MAX_EVENT_BYTES', 262_144, 1024, 262_144),
    hopLimit: integer(env, 'HOP_LIMIT', 3, 1, 10),
    retention: {
      defaultDays: integer(env, 'RETENTION_DAYS', 14, 1, 3650),
      zoneDays: json(env, 'ZONE_RETENTION_DAYS', {}, isDays, 'an object of zone → days'),
    },
    health: {
      tickMs: integer(env, 'HEALTH_TICK_MS', 10_000, 100, 60_000),
      runMs: integer(env, 'HEALTH_RUN_MS', 60_000, 0, 900_000),
      leaseMs: integer(env, 'LEASE_MS', 45_000, 500, 600_000),
      marginMs: integer(env, 'LEASE_MARGIN_MS', 5_000, 100, 60_000),
      regionTimeoutMs: integer(env, 'REGION_TIMEOUT_MS', 1_000, 200, 10_000),
    },
    sweeper: {
      passMs: integer(env, 'SWEEP_PASS_MS', 5_000, 100, 60_000),
      runMs: integer(env, 'SWEEP_RUN_MS', 60_000, 0, 900_000),
      graceMs: integer(env, 'SWEEP_GRACE_MS', 30_000, 0, 3_600_000),
      claimTimeoutMs: integer(env, 'CLAIM_TIMEOUT_MS', 120_000, 5_000, 900_000),
      waitingHorizonMs: integer(env, 'WAITING_HORIZON_MS', 86_400_000, 60_000, 30 * 86_400_000),
    },
    ...(endpoints.dynamodbEndpoint ? { dynamodbEndpoint: endpoints.dynamodbEndpoint } : {}),
    ...(endpoints.eventBridgeEndpoint ? { eventBridgeEndpoint: endpoints.eventBridgeEndpoint } : {}),
  });
};
