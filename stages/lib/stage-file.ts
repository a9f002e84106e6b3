/**
 * A stage file (stages/<stage>.yml): its schema, and the checks that run before anything is
 * packaged or deployed locally, so a typo fails in a second with the field's name instead of in
 * CloudFormation twenty minutes later.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const PRINCIPAL =
  /^arn:(aws[\w-]*|\$\{AWS::Partition\}):iam::(\d{12}|\$\{AWS::AccountId\}):(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;
const BUS_NAME = /^[\w.-]{1,256}$/;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const region = z.string().regex(REGION, 'must be an AWS region such as eu-west-1');
const schedule = z.string().regex(/^rate\(\d+ (minute|minutes|hour|hours)\)$/, 'must be rate(N minutes)');
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must be a non-empty list');

const stageSchema = z.object({
  regions: list(region),
  primaryRegion: z.string(),
  residencyZones: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/), list(region)),
  retentionDays: int(1, 3650),
  logRetentionDays: int(1, 3653),
  deletionProtection: z.boolean(),
  targetBuses: list(z.string().regex(BUS_NAME, 'has an invalid bus name')),
  /** Per tenant: the principals allowed to publish, and the sources they may publish (events:source). */
  publishers: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a tenant name'),
      z.object({
        principals: list(z.string().regex(PRINCIPAL, 'has an invalid principal ARN')),
        sources: list(z.string().min(1).max(256)),
      }),
    )
    .refine((map) => Object.keys(map).length > 0, 'must bind at least one tenant'),
  adminInvokers: list(z.string().regex(PRINCIPAL, 'has an invalid principal ARN')),
  zoneRetentionDays: z.record(z.string(), int(1, 3650)).optional(),
  health: z.object({
    schedule,
    tickSeconds: int(1, 60),
    leaseSeconds: int(2, 600),
    skewMarginSeconds: int(1, 60),
    /** A peer region that has not answered a quorum or heartbeat read within this counts as not answering. */
    regionTimeoutMs: int(200, 10_000),
  }),
  sweeper: z.object({
    schedule,
    passSeconds: int(1, 60),
    graceSeconds: int(1, 3600),
    claimTimeoutSeconds: int(5, 900),
    waitingHorizonHours: int(1, 24 * 30),
  }),
  limits: z.object({ maxEventBytes: int(1024, 262_144), routesCacheTtlSeconds: int(0, 3600), hopLimit: int(1, 10) }),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  alarms: z.object({
    periodSeconds: int(60, 86_400).refine((s) => s % 60 === 0, 'must be a multiple of 60'),
    evaluationPeriods: int(1, 100),
    iteratorAgeMs: int(1, 86_400_000),
    /** The sweeper's lag (age of the oldest due event it found), in ms. */
    sweeperLagMs: int(1, 86_400_000),
    dlqDepth: int(1, 1_000_000),
    parkedDeliveries: int(1, 1_000_000),
    errors: int(1, 1_000_000),
    throttles: int(1, 1_000_000),
    subscriptions: z.array(z.string().email()).optional(),
  }),
});

/** A validated stage file. */
export type StageConfig = z.infer<typeof stageSchema>;

/** A stage file with a mistake; the message names the stage, the field and what to do. */
export class StageConfigError extends Error {
  constructor(stage: string, field: string, problem: string) {
    super(
      `stages/${stage}.yml: ${field} ${problem}. Fix the stage file (see docs/deploy.md, "Stage files") and package again.`,
    );
    this.name = 'StageConfigError';
  }
}

const fieldOf = (pathParts: ReadonlyArray<PropertyKey>): string => pathParts.map(String).join('.') || '(file)';

/** The checks a schema cannot express: references between fields. */
const checkReferences = (stage: string, config: StageConfig): void => {
  if (new Set(config.regions).size !== config.regions.length)
    throw new StageConfigError(stage, 'regions', 'lists a region twice');
  if (!config.regions.includes(config.primaryRegion))
    throw new StageConfigError(stage, 'primaryRegion', `must be one of regions (${config.regions.join(', ')})`);
  const zones = Object.entries(config.residencyZones);
  if (zones.length === 0)
    throw new StageConfigError(stage, 'residencyZones', 'must map at least one zone to its regions');
  for (const [zone, regions] of zones) {
    const outside = regions.find((r) => !config.regions.includes(r));
    if (outside)
      throw new StageConfigError(stage, `residencyZones.${zone}`, `names ${outside}, which is not in regions`);
  }
  for (const zone of Object.keys(config.zoneRetentionDays ?? {})) {
    if (!config.residencyZones[zone])
      throw new StageConfigError(stage, `zoneRetentionDays.${zone}`, 'names no zone of residencyZones');
  }
  const bound = new Map<string, string>();
  for (const [tenant, binding] of Object.entries(config.publishers)) {
    binding.sources.forEach((source, i) => {
      const other = bound.get(source);
      if (other)
        throw new StageConfigError(
          stage,
          `publishers.${tenant}.sources[${i}]`,
          `${source} is already bound to tenant ${other}`,
        );
      bound.set(source, tenant);
    });
  }
  if (config.health.leaseSeconds <= 2 * config.health.tickSeconds)
    throw new StageConfigError(
      stage,
      'health.leaseSeconds',
      'must be more than two ticks, so one missed renewal does not lose the lease',
    );
  if (config.health.skewMarginSeconds * 2 >= config.health.leaseSeconds)
    throw new StageConfigError(stage, 'health.skewMarginSeconds', 'must be less than half the lease');
  if (config.sweeper.waitingHorizonHours * 3600 >= retentionSecondsFloor(config))
    throw new StageConfigError(
      stage,
      'sweeper.waitingHorizonHours',
      'must end before the shortest retention, so a waiting delivery is parked and reported before its event expires',
    );
  const uncovered = config.regions.find((r) => !zones.some(([, regions]) => regions.includes(r)));
  if (uncovered)
    throw new StageConfigError(
      stage,
      'residencyZones',
      `leaves ${uncovered} in no zone, so no event could ever be routed there`,
    );
};

/** The shortest retention of any zone, in seconds. */
const retentionSecondsFloor = (config: StageConfig): number =>
  Math.min(config.retentionDays, ...Object.values(config.zoneRetentionDays ?? {})) * 86_400;

/** Validates a parsed stage file; returns the typed config or throws StageConfigError naming the first bad field. */
export const validateStage = (stage: string, raw: unknown): StageConfig => {
  if (!raw || typeof raw !== 'object')
    throw new StageConfigError(stage, '(file)', 'is missing or empty; create it from stages/prod.yml');
  const parsed = stageSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StageConfigError(stage, fieldOf(issue?.path ?? []), issue?.message ?? 'is not valid');
  }
  checkReferences(stage, parsed.data);
  return parsed.data;
};

/** Reads and validates stages/<stage>.yml under `root`. */
export const readStageFile = (root: string, stage: string): StageConfig => {
  const file = path.join(root, 'stages', `${stage}.yml`);
  if (!existsSync(file))
    throw new StageConfigError(stage, '(file)', `does not exist (${file}); create it from stages/prod.yml`);
  return validateStage(stage, parse(readFileSync(file, 'utf8')));
};
