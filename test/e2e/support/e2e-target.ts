import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';

export type PublishEntry = Omit<PutEventsRequestEntry, 'EventBusName'>;
export type Item = Record<string, unknown>;

/** One confirmed delivery: the inbox id and `<target>#<region>` (the sample catalog names each bus after its target). */
export interface Delivery {
  id: string;
  to: string;
  /** The attempt number the copy carries (`switchyard:attempt:N`), where the target sees copies. */
  attempt?: number;
}

/** What the e2e suites drive: the local cloud or a deployed stage, through the same calls. */
export interface E2eTarget {
  readonly kind: 'local' | 'stage';
  readonly stage: string;
  readonly regions: readonly string[];
  readonly maxEventBytes: number;
  /** Publishes entries to a region's ingress bus, 10 per PutEvents call; throws on any failed entry. */
  publish(region: string, entries: readonly PublishEntry[]): Promise<PutEventsResultEntry[]>;
  /** The confirmed deliveries of these inbox ids (a deployed stage's tables also hold other runs). */
  deliveries(ids: readonly string[]): Promise<Delivery[]>;
  /** Every delivery row (any status, any owner) of these inbox ids, read in `region` from every zone ledger there. */
  ledger(region: string, ids: readonly string[]): Promise<Item[]>;
  /** The inbox items of these ids, read in `region` from every zone inbox there. */
  inbox(region: string, ids: readonly string[]): Promise<Item[]>;
  /** The quarantine items of these EventBridge event ids, read in `region`. */
  quarantined(region: string, eventIds: readonly string[]): Promise<Item[]>;
  /** One inbox item of a zone, read strongly consistent in `region` (undefined when absent). */
  inboxItem(region: string, zone: string, id: string): Promise<Item | undefined>;
  /** Polls `check` until it returns a value (not undefined/false). */
  waitFor<T>(
    what: string,
    check: () => Promise<T | undefined | false> | T | undefined | false,
    timeoutMs?: number,
  ): Promise<T>;
  /** Waits until nothing is in flight (the local cloud knows; a deployed stage waits a quiet period). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export type TargetSpec =
  | { kind: 'local' }
  | { kind: 'stage'; stage: string; regions: string[]; maxEventBytes: number; zones: Record<string, string[]> };

const STAGE_PREFIX = 'stage:';
const CREDENTIAL_ENV = [
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

/** The AWS CLI the deployed target shells out to (`AWS_CLI` overrides it, as in scripts/). */
export const awsCli = (): string => process.env.AWS_CLI ?? '/usr/bin/aws';

/** Reads SWITCHYARD_E2E_TARGET: unset or `local` → the local cloud; `stage:<stage>` → that deployed stage. */
export const parseTargetSpec = (env: NodeJS.ProcessEnv, stagesDir = 'stages'): TargetSpec => {
  const raw = (env.SWITCHYARD_E2E_TARGET ?? '').trim();
  if (raw === '' || raw === 'local') return { kind: 'local' };
  const stage = raw.startsWith(STAGE_PREFIX) ? raw.slice(STAGE_PREFIX.length) : '';
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(stage))
    throw new Error(`SWITCHYARD_E2E_TARGET must be "local" or "stage:<stage>", got ${JSON.stringify(raw)}`);
  const file = join(stagesDir, `${stage}.yml`);
  if (!existsSync(file)) throw new Error(`SWITCHYARD_E2E_TARGET=${raw}, but there is no ${file}`);
  const config = (parse(readFileSync(file, 'utf8')) ?? {}) as {
    regions?: string[];
    residencyZones?: Record<string, string[]>;
    limits?: { maxEventBytes?: number };
  };
  const override = (env.SWITCHYARD_E2E_REGIONS ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const regions = override.length > 0 ? override : (config.regions ?? []);
  if (regions.length === 0) throw new Error(`${file} lists no regions; set SWITCHYARD_E2E_REGIONS`);
  return {
    kind: 'stage',
    stage,
    regions,
    maxEventBytes: config.limits?.maxEventBytes ?? 262_144,
    zones: config.residencyZones ?? {},
  };
};

export type IdentityProbe = (region: string) => { ok: true; arn: string } | { ok: false; error: string };

/** `aws sts get-caller-identity`, run for real: the default credential chain, exactly as the SDK clients will see it. */
export const probeCallerIdentity = (
  region: string,
  env: NodeJS.ProcessEnv = process.env,
): ReturnType<IdentityProbe> => {
  try {
    const out = execFileSync(awsCli(), ['sts', 'get-caller-identity', '--region', region, '--output', 'json'], {
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, AWS_PAGER: '' },
    });
    return { ok: true, arn: String((JSON.parse(out) as { Arn?: unknown }).Arn) };
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    const text = (stderr || message).trim().split('\n').filter(Boolean).pop() ?? 'failed';
    return { ok: false, error: text };
  }
};

/** Why the selected target cannot run at all (no credentials for a deployed stage), or undefined. */
export const credentialsSkipReason = (
  spec: TargetSpec,
  probe: IdentityProbe = (region) => probeCallerIdentity(region),
  env: NodeJS.ProcessEnv = process.env,
): string | undefined => {
  if (spec.kind === 'local') return undefined;
  const identity = probe(spec.regions[0] ?? 'us-east-1');
  if (identity.ok) return undefined;
  const present = CREDENTIAL_ENV.filter((name) => env[name]);
  const seen = present.length > 0 ? `set: ${present.join(', ')}` : `none of ${CREDENTIAL_ENV.join(', ')} is set`;
  const what = present.length > 0 ? 'no usable AWS credentials' : 'no AWS credentials';
  return `e2e against stage ${spec.stage} skipped: ${what} (aws sts get-caller-identity: ${identity.error}; ${seen}). Set AWS_PROFILE or AWS_ACCESS_KEY_ID.`;
};

/** The target this test run selected, resolved once per test file. */
export const SELECTED: { spec: TargetSpec; credentialsProblem?: string } = (() => {
  const spec = parseTargetSpec(process.env);
  const credentialsProblem = credentialsSkipReason(spec);
  return credentialsProblem ? { spec, credentialsProblem } : { spec };
})();

/** Whether a suite must be skipped on the selected target; prints why when it is. */
export const skipSuite = (suite: string, needs: { regions?: readonly string[]; localOnly?: string } = {}): boolean => {
  const reason = suiteSkipReason(SELECTED.spec, SELECTED.credentialsProblem, suite, needs);
  if (reason) console.warn(`[e2e] ${suite}: ${reason}`);
  return reason !== undefined;
};

/** The skip reason for a suite, or undefined when it can run (pure, for the resolver's test). */
export const suiteSkipReason = (
  spec: TargetSpec,
  credentialsProblem: string | undefined,
  suite: string,
  needs: { regions?: readonly string[]; localOnly?: string },
): string | undefined => {
  if (spec.kind === 'local') return undefined;
  if (needs.localOnly)
    return `runs only on the local cloud (it needs ${needs.localOnly}); skipped on stage ${spec.stage}`;
  if (credentialsProblem) return credentialsProblem;
  const missing = (needs.regions ?? []).filter((r) => !spec.regions.includes(r));
  if (missing.length > 0)
    return `e2e against stage ${spec.stage} skipped: ${suite} needs regions ${needs.regions?.join(', ')}; the target has ${spec.regions.join(', ')} (set SWITCHYARD_E2E_REGIONS or use a stage that has them)`;
  return undefined;
};

/** Whether one test must be skipped because it needs the local cloud; prints why on a deployed target. */
export const localOnly = (test: string, needs: string): boolean => skipSuite(test, { localOnly: needs });

/**
 * The padding that makes an order oversized on this target. Locally the padding alone is over the
 * limit. A stage's limit may be EventBridge's own, where the bus would refuse such an entry, so
 * there it stays ~75 bytes under the limit and the trace resources ingest reserves for delivery
 * (~155 bytes) push it over.
 */
export const oversizedPadding = (target: Pick<E2eTarget, 'kind' | 'maxEventBytes'>): number =>
  target.kind === 'local' ? target.maxEventBytes : target.maxEventBytes - 160;
