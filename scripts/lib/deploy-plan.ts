/**
 * The deploy order of a stage's app stacks and what each one needs (docs/decisions/015): the
 * primary first, then the other regions in stage-file order. A zone's tables are owned by the
 * primary's stack when the zone includes the primary, else by the stack of the zone's first region
 * in stage order; so every stack a region needs a stream from is deployed before it.
 */
import { streamsNeeded } from '../../stages/lib/inbox-streams';
import { owningRegion, tableLayout } from '../../stages/lib/table-layout';
import type { StageConfig } from '../../stages/lib/stage-file';

/** One app stack in deploy order. */
export interface StackStep {
  region: string;
  /** Global tables this stack declares (and so creates every replica of). */
  owns: string[];
  /** Zones whose inbox stream ARN this stack takes as `--param="inboxStreams=..."`, looked up in its region. */
  streams: string[];
}

/** The regions in deploy order: the primary, then the others as the stage file lists them. */
export const deployOrder = (config: StageConfig): string[] => [
  config.primaryRegion,
  ...config.regions.filter((r) => r !== config.primaryRegion),
];

/** Every app stack in deploy order, with the tables it owns and the streams it needs. */
export const deployPlan = (stage: string, config: StageConfig): StackStep[] => {
  const globals = tableLayout(stage, config).filter((t) => t.global);
  return deployOrder(config).map((region) => ({
    region,
    owns: globals.filter((t) => owningRegion(t, config) === region).map((t) => t.name),
    streams: streamsNeeded(stage, config, region),
  }));
};

/** Every table of the stage: its name, the region whose stack declares it (regional: each region), and where it lives. */
export const tablePlacements = (stage: string, config: StageConfig) =>
  tableLayout(stage, config).map((t) => ({
    name: t.name,
    global: t.global,
    owner: t.global ? owningRegion(t, config) : undefined,
    regions: t.regions,
  }));
