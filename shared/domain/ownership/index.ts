export * from './lease';
export * from './lease-rules';
export * from './decide-lease';
export * from './quorum';
export * from './register';
export * from './ownership-errors';
