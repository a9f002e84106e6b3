import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { packagesDir } from '../../scripts/lib/package-inputs';
import { ensurePackaged, ROOT } from './helpers/packaged-stage';

const run = promisify(execFile);
const PACKAGING_TIMEOUT_MS = 900_000;
const STAGES = ['prod', 'dev', 'local'];

/** cfn-lint checks templates against the AWS resource specification; CI machines may not have it. */
const cfnLint = await run('cfn-lint', ['--version']).then(
  () => true,
  () => false,
);

beforeAll(() => {
  if (cfnLint) STAGES.forEach(ensurePackaged);
}, PACKAGING_TIMEOUT_MS);

describe.skipIf(!cfnLint)('the packaged templates against the AWS resource specification (cfn-lint)', () => {
  it.each(STAGES)(
    '%s has no cfn-lint error in any region',
    async (stage) => {
      const templates = path.join(packagesDir(ROOT, stage), '*', '*', 'cloudformation-template-update-stack.json');
      const output = await run('cfn-lint', ['--format', 'parseable', '--', templates], { cwd: ROOT }).then(
        (out) => out.stdout,
        (error: { stdout?: string }) => error.stdout ?? '',
      );

      // Warnings (W…) are advice, such as serverless's DependsOn next to a GetAtt; errors (E…) are invalid CloudFormation.
      expect(output.split('\n').filter((line) => /:E\d{4}:/.test(line))).toEqual([]);
    },
    120_000,
  );
});
