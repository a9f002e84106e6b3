export * from './catalog';
export * from './catalog-errors';
export * from './catalog-schema';
export { compileCatalog } from './compile-catalog';
export { parseCatalogYaml } from './parse-catalog-yaml';
export { projectDetail, projectionOf, UNHASHABLE_REDACTION } from './project-detail';
export { retentionDaysOf, zoneRetentionDays } from './retention';
