/**
 * Each functions/<name>/handler.ts builds its default deps from the environment when imported
 * (cold start). The tests only call `createHandler(deps)` with deps pointed at the local cloud,
 * but the import still needs a valid environment; this module must be imported before any handler.
 * The default deps it yields are never called: no table or bus named here is ever touched.
 */
process.env.STAGE ??= 'integration-import-only';
process.env.AWS_REGION ??= 'us-east-1';
process.env.STAGE_REGIONS ??= 'us-east-1,eu-west-1,ap-southeast-2';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

export {};
