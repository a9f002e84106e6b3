export {
  completeRecovery,
  DEFAULT_HEALTH_SETTINGS,
  judge,
  type HealthSettings,
  type Judgement,
  type Observation,
  type RegionState,
} from './judge-region';
export { quorumVerdict } from './quorum-verdict';
export { successorOf } from './successor';
