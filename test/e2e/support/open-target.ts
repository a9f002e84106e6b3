import type { RouterOptions } from '../../../local/cloud/deploy-router';
import { SELECTED, type E2eTarget } from './e2e-target';
import { LocalTarget } from './local-target';
import { StageTarget } from './stage-target';

/** Opens the target SWITCHYARD_E2E_TARGET selects: the local cloud, started with `router`, or a deployed stage (`router` does not apply). */
export const openE2eTarget = async (router: RouterOptions = {}): Promise<E2eTarget> =>
  SELECTED.spec.kind === 'local' ? LocalTarget.start(router) : StageTarget.open(SELECTED.spec);

/** The local harness behind a target, for drills only the local cloud can run (their tests are skipped elsewhere). */
export const localHarness = (target: E2eTarget): LocalTarget['harness'] => {
  if (!(target instanceof LocalTarget)) throw new Error(`this drill needs the local cloud, not stage ${target.stage}`);
  return target.harness;
};
