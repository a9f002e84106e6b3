import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  credentialsSkipReason,
  parseTargetSpec,
  probeCallerIdentity,
  suiteSkipReason,
  type TargetSpec,
} from './support/e2e-target';
import { REQUIRED_OUTPUTS } from './support/stage-target';

const PROD: TargetSpec = {
  kind: 'stage',
  stage: 'prod',
  regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  maxEventBytes: 262_144,
  zones: (parse(readFileSync('stages/prod.yml', 'utf8')) as { residencyZones: Record<string, string[]> })
    .residencyZones,
};

/** This process's environment without anything the default credential chain could use, so the real CLI must fail everywhere. */
const withoutCredentials = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^AWS_(PROFILE|DEFAULT_PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN|CONTAINER_|SHARED_CREDENTIALS_FILE|CONFIG_FILE)/.test(
          name,
        ),
    ),
  ),
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/switchyard-e2e/credentials',
  AWS_CONFIG_FILE: '/nonexistent/switchyard-e2e/config',
  AWS_EC2_METADATA_DISABLED: 'true',
  ...extra,
});

describe('the e2e target switch', () => {
  it('selects the local cloud when SWITCHYARD_E2E_TARGET is unset or local', () => {
    expect(parseTargetSpec({})).toEqual({ kind: 'local' });
    expect(parseTargetSpec({ SWITCHYARD_E2E_TARGET: 'local' })).toEqual({ kind: 'local' });
  });

  it('selects a deployed stage with its regions and event size limit from stages/<stage>.yml, or the regions given', () => {
    expect(parseTargetSpec({ SWITCHYARD_E2E_TARGET: 'stage:prod' })).toEqual(PROD);
    expect(parseTargetSpec({ SWITCHYARD_E2E_TARGET: 'stage:dev' })).toMatchObject({
      stage: 'dev',
      regions: ['eu-west-1'],
    });
    expect(
      parseTargetSpec({ SWITCHYARD_E2E_TARGET: 'stage:prod', SWITCHYARD_E2E_REGIONS: 'eu-west-1, us-east-1' }),
    ).toMatchObject({ regions: ['eu-west-1', 'us-east-1'] });
  });

  it('refuses a malformed switch or a stage without a stage file, instead of silently testing something else', () => {
    expect(() => parseTargetSpec({ SWITCHYARD_E2E_TARGET: 'prod' })).toThrow(/must be "local" or "stage:<stage>"/);
    expect(() => parseTargetSpec({ SWITCHYARD_E2E_TARGET: 'stage:../prod' })).toThrow(
      /must be "local" or "stage:<stage>"/,
    );
    expect(() => parseTargetSpec({ SWITCHYARD_E2E_TARGET: 'stage:nosuch' })).toThrow(/no stages\/nosuch\.yml/);
  });

  it('explains the skip when aws sts get-caller-identity finds no credentials (the real CLI, run here)', () => {
    const env = withoutCredentials();
    const identity = probeCallerIdentity('us-east-1', env);
    const reason = credentialsSkipReason(PROD, (region) => probeCallerIdentity(region, env), env);
    expect(identity).toMatchObject({ ok: false, error: expect.stringMatching(/credentials/i) });
    expect(reason).toMatch(
      /^e2e against stage prod skipped: no AWS credentials \(aws sts get-caller-identity: .*credentials.*none of AWS_PROFILE, AWS_ACCESS_KEY_ID.* is set\)\. Set AWS_PROFILE or AWS_ACCESS_KEY_ID\.$/,
    );
  });

  it('does not probe credentials for the local cloud, and lets a stage run once an identity resolves', () => {
    const probe = (): never => {
      throw new Error('the local target must not call sts');
    };
    expect(credentialsSkipReason({ kind: 'local' }, probe)).toBeUndefined();
    expect(credentialsSkipReason(PROD, () => ({ ok: true, arn: 'arn:aws:iam::123456789012:role/ci' }))).toBeUndefined();
  });

  it('skips local-only drills and suites needing absent regions on a stage, never on the local cloud', () => {
    expect(suiteSkipReason(PROD, undefined, 'failure drills', { localOnly: 'fault injection' })).toBe(
      'runs only on the local cloud (it needs fault injection); skipped on stage prod',
    );
    expect(
      suiteSkipReason({ ...PROD, stage: 'dev', regions: ['eu-west-1'] }, undefined, 'exactly-once delivery', {
        regions: PROD.regions,
      }),
    ).toMatch(/needs regions us-east-1, eu-west-1, ap-southeast-2; the target has eu-west-1/);
    expect(suiteSkipReason(PROD, 'no credentials', 'exactly-once delivery', { regions: PROD.regions })).toBe(
      'no credentials',
    );
    expect(suiteSkipReason(PROD, undefined, 'exactly-once delivery', { regions: PROD.regions })).toBeUndefined();
    expect(
      suiteSkipReason({ kind: 'local' }, undefined, 'failure drills', { localOnly: 'fault injection' }),
    ).toBeUndefined();
  });

  it('skips every e2e suite against a stage without credentials and prints why', () => {
    // Act: the real suites, switched to stage prod, in a child vitest with no credentials.
    const child = spawnSync(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        'test/e2e/exactly-once-delivery.test.ts',
        'test/e2e/failure-drills.test.ts',
        'test/e2e/quarantine.test.ts',
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: withoutCredentials({ SWITCHYARD_E2E_TARGET: 'stage:prod', NO_COLOR: '1', FORCE_COLOR: '0' }),
      },
    );
    const output = `${child.stdout}${child.stderr}`;
    // Assess
    expect(child.status, output).toBe(0);
    expect(output).toMatch(
      /exactly-once delivery: e2e against stage prod skipped: no AWS credentials \(aws sts get-caller-identity: .*\)\. Set AWS_PROFILE or AWS_ACCESS_KEY_ID\./,
    );
    expect(output).toMatch(/bad input at the edge: e2e against stage prod skipped: no AWS credentials/);
    expect(output).toContain('failure drills: runs only on the local cloud (it needs replication lag control');
    expect(output).toMatch(/Tests\s+\d+ skipped \(\d+\)/);
    expect(output).not.toMatch(/\d+ passed|\d+ failed/);
  }, 120_000);

  it('reads every resource a deployed stage needs from outputs the stack declares', () => {
    const declared = Object.keys(
      (parse(readFileSync('serverless/outputs.yml', 'utf8')) as { Outputs: Record<string, unknown> }).Outputs,
    );
    expect(declared).toEqual(expect.arrayContaining([...REQUIRED_OUTPUTS]));
  });
});
