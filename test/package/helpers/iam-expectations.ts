import type { SdkCall } from './sdk-calls';
import { ACCOUNT } from './cfn-values';

/** What a stage and region look like to the policy: names the roles must point at. */
export interface PolicyContext {
  stage: string;
  region: string;
  regions: readonly string[];
  targetBuses: readonly string[];
  inboxStream: string;
}

/** lib-dynamodb document commands → the DynamoDB API (and IAM action) they call. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

/** TransactWriteItems has no IAM action: each item is authorized as its own operation. */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

const ADAPTER_TABLE = /^shared\/adapters\/(inbox|ledger|control|quarantine)-table\.ts$/;

const tableArn = (ctx: PolicyContext, logical: string): string =>
  `arn:aws:dynamodb:${ctx.region}:${ACCOUNT}:table/switchyard-${ctx.stage}-${logical}`;

const dynamoActions = (call: SdkCall): string[] => {
  const api = call.sdkPackage === 'lib-dynamodb' ? DOCUMENT_COMMANDS[call.command] : call.command;
  if (!api)
    throw new Error(
      `Unknown lib-dynamodb command ${call.command}Command in ${call.file}; add it to DOCUMENT_COMMANDS.`,
    );
  if (api === 'TransactWriteItems')
    return (call.transactItems ?? []).map((kind) => `dynamodb:${TRANSACT_ITEM_ACTIONS[kind]}`);
  if (api === 'TransactGetItems') return ['dynamodb:GetItem'];
  return [`dynamodb:${api}`];
};

/** The `action resource` grants one SDK call needs, on the ARNs the code actually addresses. */
export const grantsForCall = (call: SdkCall, ctx: PolicyContext): string[] => {
  if (call.sdkPackage === 'client-dynamodb' || call.sdkPackage === 'lib-dynamodb') {
    const table = ADAPTER_TABLE.exec(call.file)?.[1];
    if (!table)
      throw new Error(
        `${call.file} sends ${call.command}Command, but only shared/adapters/<table>-table.ts may talk to DynamoDB: the packaging test maps each adapter to its table ARN.`,
      );
    const resource = call.usesIndex ? `${tableArn(ctx, table)}/index/*` : tableArn(ctx, table);
    return dynamoActions(call).map((action) => `${action} ${resource}`);
  }
  if (call.sdkPackage === 'client-eventbridge' && call.command === 'PutEvents') {
    return ctx.regions.flatMap((r) =>
      ctx.targetBuses.map((bus) => `events:PutEvents arn:aws:events:${r}:${ACCOUNT}:event-bus/${bus}`),
    );
  }
  if (call.sdkPackage === 'client-eventbridge' && call.command === 'DescribeEventBus')
    return ['events:DescribeEventBus GetAtt:IngressBus.Arn'];
  throw new Error(
    `${call.file} sends ${call.sdkPackage} ${call.command}Command, which the packaging test cannot map to an IAM action and resource yet; add it to grantsForCall.`,
  );
};

const logs = (ctx: PolicyContext, fn: string): string[] => {
  const group = `arn:aws:logs:${ctx.region}:${ACCOUNT}:log-group:/aws/lambda/switchyard-${ctx.stage}-${fn}:*`;
  return [`logs:CreateLogStream ${group}`, `logs:PutLogEvents ${group}`];
};

const encryptedQueueSend = (ctx: PolicyContext, queue: string): string[] => {
  const key = `Import:switchyard-${ctx.stage}-keys-DataKeyArn`;
  return [`sqs:SendMessage GetAtt:${queue}.Arn`, `kms:GenerateDataKey ${key}`, `kms:Decrypt ${key}`];
};

/**
 * Grants the platform needs on a function's behalf, beyond what its code sends: its own log
 * streams; for route, what the stream mapping calls and its on-failure queue; for ingest, the
 * async on-failure queue. KMS only where the role itself talks to an encrypted queue.
 */
export const platformGrants = (fn: string, ctx: PolicyContext): string[] => {
  switch (fn) {
    case 'route':
      return [
        ...logs(ctx, fn),
        ...['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'].map(
          (a) => `dynamodb:${a} ${ctx.inboxStream}`,
        ),
        ...encryptedQueueSend(ctx, 'RouteFailedQueue'),
      ];
    case 'ingest':
      return [...logs(ctx, fn), ...encryptedQueueSend(ctx, 'IngestFailedQueue')];
    default:
      return logs(ctx, fn);
  }
};
