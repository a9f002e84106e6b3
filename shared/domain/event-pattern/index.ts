export { compileEventPattern, matchesEventPattern } from './event-pattern';
export type { EventPattern } from './event-pattern';
export { InvalidEventPatternError } from './invalid-event-pattern-error';
export { MAX_COMBINATIONS } from './compile-branches';
