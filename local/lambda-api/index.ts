export { startLambdaApiServer } from './lambda-api-server';
export type { LambdaApiServer, LambdaApiServerOptions } from './lambda-api-server';
export type { LogSource } from './log-tail';
