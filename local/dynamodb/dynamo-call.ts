/** Which of the two JSON APIs DynamoDB Local serves on one port a request is for. */
export type DynamoApi = 'dynamodb' | 'streams';

/** What the proxy needs to know about one request before forwarding it. */
export interface DynamoCall {
  api: DynamoApi;
  operation: string;
  /** Tables the request touches, deduplicated; empty for ListTables and the like. */
  tables: string[];
  /** The parsed JSON body, or undefined when it did not parse (the engine will reject it). */
  json: Record<string, unknown> | undefined;
}

const TARGET = /^(DynamoDB|DynamoDBStreams)_\d{8}\.(\w+)$/;
const TABLE_IN_ARN = /:table\/([^/|]+)/;
const TABLE_IN_STATEMENT = /\b(?:FROM|INTO|UPDATE)\s+"?([\w.-]+)"?/i;

/** Splits `X-Amz-Target` into API and operation; unknown targets keep the raw header as the operation. */
export const parseTarget = (target: string | undefined): { api: DynamoApi; operation: string } => {
  const match = target ? TARGET.exec(target) : null;
  if (!match?.[2]) return { api: 'dynamodb', operation: target ?? 'Unknown' };
  return { api: match[1] === 'DynamoDBStreams' ? 'streams' : 'dynamodb', operation: match[2] };
};

/** Parses a request body as a JSON object, returning undefined for anything else. */
export const parseJsonObject = (body: Buffer): Record<string, unknown> | undefined => {
  if (body.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
};

/** Describes a request from its target header and body. */
export const describeCall = (target: string | undefined, body: Buffer): DynamoCall => {
  const { api, operation } = parseTarget(target);
  const json = parseJsonObject(body);
  return { api, operation, tables: json ? [...new Set(findTables(json))] : [], json };
};

/** Table names a request names, wherever its operation puts them. */
export const findTables = (json: Record<string, unknown>): string[] => {
  const tables: string[] = [];
  if (typeof json.TableName === 'string') tables.push(tableFromName(json.TableName));
  if (isRecord(json.RequestItems)) tables.push(...Object.keys(json.RequestItems).map(tableFromName));
  for (const item of arrayOf(json.TransactItems)) {
    for (const action of Object.values(item)) {
      if (isRecord(action) && typeof action.TableName === 'string') tables.push(tableFromName(action.TableName));
    }
  }
  const statements = [json, ...arrayOf(json.Statements), ...arrayOf(json.TransactStatements)];
  for (const { Statement } of statements) {
    const table = typeof Statement === 'string' ? TABLE_IN_STATEMENT.exec(Statement)?.[1] : undefined;
    if (table) tables.push(table);
  }
  for (const arn of [json.StreamArn, json.ShardIterator]) {
    const table = typeof arn === 'string' ? TABLE_IN_ARN.exec(arn)?.[1] : undefined;
    if (table) tables.push(table);
  }
  return tables;
};

const tableFromName = (name: string): string => TABLE_IN_ARN.exec(name)?.[1] ?? name;

const arrayOf = (value: unknown): Array<Record<string, unknown>> =>
  Array.isArray(value) ? value.filter(isRecord) : [];

/** True for plain JSON objects. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
