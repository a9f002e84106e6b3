import { DEFAULT_HEALTH_SETTINGS, judge, type Judgement, type Observation } from '../../../shared/domain/health';

export const REGION = 'us-east-1';
export const T0 = 1_700_000_000_000;
export const TICK_MS = 10_000;
export const settings = DEFAULT_HEALTH_SETTINGS;

const healthyProbes = { dynamodb: true, ingressBus: true, targetBuses: { 'orders-bus': true, 'billing-bus': true } };

/**
 * One observation per letter: `o` ok, `x` unreachable, `s` stale heartbeat, `n` no heartbeat yet,
 * `d` DynamoDB probe failing, `t` a target bus failing (heartbeat fresh).
 */
export const observe = (letter: string, tick: number): Observation => {
  const at = T0 + tick * TICK_MS;
  const fresh = { region: REGION, at, reachable: true, heartbeatAgeMs: 1_000, probes: healthyProbes };
  switch (letter) {
    case 'x':
      return { region: REGION, at, reachable: false };
    case 's':
      return { ...fresh, heartbeatAgeMs: settings.heartbeatStaleMs + 1 };
    case 'n':
      return { region: REGION, at, reachable: true };
    case 'd':
      return { ...fresh, probes: { ...healthyProbes, dynamodb: false } };
    case 't':
      return { ...fresh, probes: { ...healthyProbes, targetBuses: { 'orders-bus': true, 'billing-bus': false } } };
    default:
      return fresh;
  }
};

type Run = { start?: Judgement; firstTick?: number; fenced?: (tick: number) => boolean };

/** Judges one tick per letter of `pattern` (spaces ignored), returning every judgement in order. */
export const judgeAll = (pattern: string, { start, firstTick = 0, fenced = () => false }: Run = {}): Judgement[] => {
  const judgements: Judgement[] = [];
  [...pattern.replaceAll(' ', '')].forEach((letter, index) => {
    const tick = firstTick + index;
    judgements.push(judge(judgements.at(-1) ?? start, observe(letter, tick), settings, fenced(tick)));
  });
  return judgements;
};

/** The states of `judgeAll`, for compact assertions. */
export const statesOf = (pattern: string, run?: Run) => judgeAll(pattern, run).map((judgement) => judgement.state);

/** The last judgement after `pattern`. */
export const after = (pattern: string, run?: Run): Judgement => {
  const last = judgeAll(pattern, run).at(-1);
  if (!last) throw new Error('after() needs at least one tick');
  return last;
};
