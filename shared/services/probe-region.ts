import type { ControlTable, RegionHeartbeat } from '../adapters/control-table';

export interface ProbeDeps {
  region: string;
  control: ControlTable;
  /** Reads something small from DynamoDB in this region; throws when it cannot. */
  probeDynamo: () => Promise<void>;
  /** Describes the ingress bus in this region; throws when it cannot. */
  probeEventBridge: () => Promise<void>;
  now: () => Date;
  clock: () => number;
}

const timed = async (probe: () => Promise<void>, clock: () => number): Promise<{ ms: number; problem?: string }> => {
  const started = clock();
  try {
    await probe();
    return { ms: clock() - started };
  } catch (error) {
    return {
      ms: clock() - started,
      problem: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
};

/** Probes this region's DynamoDB and EventBridge and records a heartbeat in the control table (when it can). */
export const probeRegion = async (deps: ProbeDeps): Promise<RegionHeartbeat> => {
  const [dynamo, events] = await Promise.all([
    timed(deps.probeDynamo, deps.clock),
    timed(deps.probeEventBridge, deps.clock),
  ]);
  const problems = [
    dynamo.problem && `dynamodb: ${dynamo.problem}`,
    events.problem && `eventbridge: ${events.problem}`,
  ].filter((p): p is string => Boolean(p));
  const heartbeat = {
    region: deps.region,
    at: deps.now().toISOString(),
    dynamodbMs: dynamo.ms,
    eventBridgeMs: events.ms,
    ok: problems.length === 0,
    problems,
  };
  if (!dynamo.problem) await deps.control.putHeartbeat(heartbeat);
  return heartbeat;
};
