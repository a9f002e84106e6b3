/** Names of a stage's resources that the functions address (tables: shared/table-definitions.ts). */

/** The bus producers publish to, e.g. `switchyard-prod-ingress`. */
export const ingressBusName = (stage: string): string => `switchyard-${stage}-ingress`;

/** A function's deployed name, e.g. `switchyard-prod-admin` (what `aws lambda invoke` calls). */
export const functionName = (stage: string, fn: string): string => `switchyard-${stage}-${fn}`;
