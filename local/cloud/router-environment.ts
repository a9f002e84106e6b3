import { physicalTableName } from '../../shared/table-definitions';

export const LOCAL_STAGE = 'local';
export const ROUTER_FUNCTIONS = ['ingest', 'route', 'health', 'admin'] as const;
export type RouterFunction = (typeof ROUTER_FUNCTIONS)[number];

export interface RouterEnvironmentInput {
  stage: string;
  regions: readonly string[];
  dynamodbEndpoint: string;
  eventBridgeEndpoint: string;
  routesCacheTtlSeconds: number;
  maxEventBytes: number;
  logLevel: string;
}

/** The environment every router function gets locally: what serverless.yml sets on AWS, plus the endpoint overrides. */
export const routerEnvironment = (
  input: RouterEnvironmentInput,
  functionName: RouterFunction,
): Record<string, string> => ({
  STAGE: input.stage,
  STAGE_REGIONS: input.regions.join(','),
  PRIMARY_REGION: input.regions[0] ?? '',
  INBOX_TABLE: physicalTableName(input.stage, 'inbox'),
  LEDGER_TABLE: physicalTableName(input.stage, 'ledger'),
  CONTROL_TABLE: physicalTableName(input.stage, 'control'),
  QUARANTINE_TABLE: physicalTableName(input.stage, 'quarantine'),
  INGRESS_BUS_NAME: ingressBusName(input.stage),
  ROUTES_CACHE_TTL_SECONDS: String(input.routesCacheTtlSeconds),
  MAX_EVENT_BYTES: String(input.maxEventBytes),
  RETENTION_DAYS: '14',
  DYNAMODB_ENDPOINT: input.dynamodbEndpoint,
  EVENTBRIDGE_ENDPOINT: input.eventBridgeEndpoint,
  POWERTOOLS_SERVICE_NAME: `switchyard-${functionName}`,
  POWERTOOLS_METRICS_NAMESPACE: 'Switchyard',
  POWERTOOLS_LOG_LEVEL: input.logLevel,
  // Lambda runs nodejs22.x; the local runtime is Node 20, where the SDK warns on every cold start.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

/** The ingress bus producers publish to, e.g. `switchyard-local-ingress`. */
export const ingressBusName = (stage: string): string => `switchyard-${stage}-ingress`;
