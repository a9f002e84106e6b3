/**
 * Prints a stage's deploy plan for the shell scripts (scripts/deploy.sh, scripts/teardown.sh), one
 * line per item, space-separated:
 *   npx tsx scripts/deploy-plan.ts <stage> stacks   →  <region> [<zone needing a stream>...]   (deploy order)
 *   npx tsx scripts/deploy-plan.ts <stage> tables   →  <table> global|regional <owner region|-> <region>...
 */
import path from 'node:path';
import { readStageFile } from '../stages/lib/stage-file';
import { deployPlan, tablePlacements } from './lib/deploy-plan';

const [stage, what] = process.argv.slice(2);
try {
  if (!stage || (what !== 'stacks' && what !== 'tables'))
    throw new Error('usage: npx tsx scripts/deploy-plan.ts <stage> stacks|tables');
  const config = readStageFile(path.resolve(__dirname, '..'), stage);
  const lines =
    what === 'stacks'
      ? deployPlan(stage, config).map((step) => [step.region, ...step.streams])
      : tablePlacements(stage, config).map((t) => [
          t.name,
          t.global ? 'global' : 'regional',
          t.owner ?? '-',
          ...t.regions,
        ]);
  console.log(lines.map((line) => line.join(' ')).join('\n'));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
