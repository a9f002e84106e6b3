import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_CATALOG_PATH } from '../local/cloud/deploy-router';
import { compileCatalog, parseCatalogYaml, type Catalog } from '../shared/domain/catalog';
import { RouterHarness } from '../local/harness/router-harness';
import { buildWorkload, seededRandom, type WorkloadEvent } from '../local/harness/workload';
import { BaselineFleet } from './baseline/fleet';
import { provisionBaseline } from './baseline/provision';
import { runBaseline, BASELINE_CONCURRENCY_PER_REGION } from './baseline-side';
import { arrivalScheduleOf, computeFigures } from './figures';
import { parseBenchFlags, type BenchFlags } from './flags';
import { note } from './progress';
import { formatTable, resultsDocument, writeResults } from './report';
import { runSwitchyard } from './switchyard-side';
import { runReplayBench } from './replay';

const RESULTS_PATH = join(__dirname, '..', '.local', 'bench-results.json');
/** Fixed seed: both sides, and successive runs, get the same mix of sources, regions and targets. */
const SEED = 20261127;

/** Generous per-event allowance so a slow shared machine shows a shortfall in the table instead of hanging. */
const timeoutFor = (events: number): number => Math.max(60_000, events * 150);

const workloads = (flags: BenchFlags): { warmup: WorkloadEvent[]; measured: WorkloadEvent[] } => {
  const random = seededRandom(SEED);
  const runId = `bench${Date.now().toString(36)}`;
  return {
    warmup: buildWorkload(flags.warmup, `${runId}w`, random),
    measured: buildWorkload(flags.events, runId, random),
  };
};

/** Runs warm-up then measurement, Switchyard first, then the baseline, so the two never compete for the CPU. */
const measureBoth = async (harness: RouterHarness, fleet: BaselineFleet, catalog: Catalog, flags: BenchFlags) => {
  const { warmup, measured } = workloads(flags);
  const cloud = harness.rc.cloud;
  if (warmup.length > 0) {
    note(`warming up both sides with ${warmup.length} events each (not counted)`);
    const warm = await runSwitchyard(harness, catalog, warmup, 'switchyard warm-up', timeoutFor(warmup.length));
    await runBaseline(
      cloud,
      fleet,
      catalog,
      warmup,
      arrivalScheduleOf(warm),
      'baseline warm-up',
      timeoutFor(warmup.length),
    );
  }
  note(`measuring switchyard: ${measured.length} events`);
  const switchyardRun = await runSwitchyard(harness, catalog, measured, 'switchyard', timeoutFor(measured.length));
  note(
    `measuring baseline: ${measured.length} events arriving on Switchyard's publish schedule, ${BASELINE_CONCURRENCY_PER_REGION} in flight per region`,
  );
  const baselineRun = await runBaseline(
    cloud,
    fleet,
    catalog,
    measured,
    arrivalScheduleOf(switchyardRun),
    'baseline',
    timeoutFor(measured.length),
  );
  const [switchyard, baseline] = [computeFigures(switchyardRun), computeFigures(baselineRun)];
  return { switchyard, baseline };
};

const main = async (): Promise<void> => {
  // `--replay` measures a replay's pace against its budget instead (bench/replay.ts).
  if (process.argv.includes('--replay')) return runReplayBench(process.argv.slice(2));
  const flags = parseBenchFlags(process.argv.slice(2));
  const catalog = compileCatalog(parseCatalogYaml(readFileSync(SAMPLE_CATALOG_PATH, 'utf8')));
  const started = Date.now();
  note('starting the local cloud with the router deployed (DynamoDB Local, EventBridge, Lambda runtime)');
  const harness = await RouterHarness.start({ onProgress: (step) => note(`  ${step}`) });
  const fleet = new BaselineFleet(harness.rc.cloud.endpoints, harness.rc.cloud.regions, catalog);
  try {
    await provisionBaseline(harness.rc.cloud.endpoints, harness.rc.cloud.regions, catalog);
    const { switchyard, baseline } = await measureBoth(harness, fleet, catalog, flags);
    const document = resultsDocument(switchyard, baseline, {
      flags,
      baselineConcurrencyPerRegion: BASELINE_CONCURRENCY_PER_REGION,
      seed: SEED,
    });
    writeResults(RESULTS_PATH, document);
    if (flags.json) console.log(JSON.stringify(document, null, 2));
    else console.log(`\n${formatTable(switchyard, baseline)}\n`);
    note(`results written to .local/bench-results.json (run took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    fleet.destroy();
    await harness.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
