/**
 * What the packaged templates say about where data can go, as plain facts: every table with the
 * stack that declares it and its replicas, every stream mapping with the table it reads, every
 * Allow of every role with the ARN it names, every queue a function or rule sends to, every log
 * group. Pseudo parameters resolve to the stack's region; references to resources of the same
 * template resolve to those resources, in the stack's region.
 */
import { resourcesOfType, type RegionTemplates, type Template } from '../packaged-templates';

/** The parts of an ARN the residency rules need; `region` is where the resource lives. */
export interface ArnFacts {
  service: string;
  region: string;
  /** e.g. `table/switchyard-prod-eu-inbox/stream/…`, `event-bus/orders`. */
  resource: string;
  text: string;
}

export interface TableFact {
  name: string;
  logicalId: string;
  /** The region whose stack declares it. */
  stack: string;
  global: boolean;
  /** Regions holding a copy: the replicas of a global table, the stack's region for a regional one. */
  replicas: string[];
}

export interface MappingFact {
  region: string;
  logicalId: string;
  source: ArnFacts | undefined;
}

export interface GrantFact {
  region: string;
  role: string;
  action: string;
  resource: ArnFacts | undefined;
  /** The resource as written, for messages. */
  written: string;
}

export interface DestinationFact {
  region: string;
  from: string;
  target: ArnFacts | undefined;
}

export interface StageFacts {
  tables: TableFact[];
  mappings: MappingFact[];
  grants: GrantFact[];
  destinations: DestinationFact[];
  /** Per region: the log group names its stack declares, and its functions' names. */
  logs: Array<{ region: string; groups: string[]; functions: string[] }>;
}

const ACCOUNT = '123456789012';

/** Splits an ARN; undefined for anything else. */
export const parseArn = (text: string): ArnFacts | undefined => {
  const match = /^arn:[\w-]+:([\w-]+):([\w-]*):[\w-]*:(.+)$/.exec(text);
  return match ? { service: match[1] ?? '', region: match[2] ?? '', resource: match[3] ?? '', text } : undefined;
};

/** A CloudFormation value as an ARN in `region`'s stack, when it names one. */
const arnOf = (value: unknown, region: string, template: Template): ArnFacts | undefined => {
  if (typeof value === 'string') return parseArn(value);
  const entry = value && typeof value === 'object' ? Object.entries(value)[0] : undefined;
  if (!entry) return undefined;
  const [fn, arg] = entry;
  if (fn === 'Fn::Sub' && typeof arg === 'string')
    return parseArn(
      arg
        .replaceAll('${AWS::Region}', region)
        .replaceAll('${AWS::AccountId}', ACCOUNT)
        .replaceAll('${AWS::Partition}', 'aws'),
    );
  if (fn === 'Fn::GetAtt' && Array.isArray(arg)) {
    const [id, attribute] = arg as [string, string];
    const resource = template.Resources[id];
    const name = String(
      resource?.Properties?.TableName ?? resource?.Properties?.Name ?? resource?.Properties?.QueueName,
    );
    if (resource?.Type.startsWith('AWS::DynamoDB::'))
      return parseArn(
        `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}${attribute === 'StreamArn' ? '/stream/(this stack)' : ''}`,
      );
    if (resource?.Type === 'AWS::Events::EventBus')
      return parseArn(`arn:aws:events:${region}:${ACCOUNT}:event-bus/${name}`);
    if (resource?.Type === 'AWS::SQS::Queue') return parseArn(`arn:aws:sqs:${region}:${ACCOUNT}:${name}`);
  }
  return undefined;
};

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const tablesOf = ({ region, app }: RegionTemplates): TableFact[] =>
  Object.entries(app.Resources)
    .filter(([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable' || r.Type === 'AWS::DynamoDB::Table')
    .map(([logicalId, r]) => {
      const global = r.Type === 'AWS::DynamoDB::GlobalTable';
      const replicas = global
        ? ((r.Properties?.Replicas ?? []) as Array<{ Region: string }>).map((x) => x.Region)
        : [region];
      return { name: String(r.Properties?.TableName), logicalId, stack: region, global, replicas };
    });

const grantsOf = ({ region, app }: RegionTemplates): GrantFact[] =>
  resourcesOfType(app, 'AWS::IAM::Role').flatMap(([role, r]) =>
    ((r.Properties?.Policies ?? []) as Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }>)
      .flatMap((p) => p.PolicyDocument.Statement)
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) =>
        list(s.Action).flatMap((action) =>
          list(s.Resource).map((resource) => ({
            region,
            role,
            action: String(action),
            resource: arnOf(resource, region, app),
            written: JSON.stringify(resource),
          })),
        ),
      ),
  );

/** Where failures are sent: stream mappings' and async invocations' on-failure queues, rules' dead-letter queues. */
const destinationsOf = ({ region, app }: RegionTemplates): DestinationFact[] =>
  Object.entries(app.Resources).flatMap(([id, r]) => {
    const props = r.Properties ?? {};
    const onFailure = (props.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure;
    const dlqs = ((props.Targets ?? []) as Array<{ DeadLetterConfig?: { Arn?: unknown } }>).map(
      (t) => t.DeadLetterConfig?.Arn,
    );
    return [onFailure?.Destination, ...dlqs, (props.DeadLetterConfig as { Arn?: unknown } | undefined)?.Arn]
      .filter((target) => target !== undefined)
      .map((target) => ({ region, from: id, target: arnOf(target, region, app) }));
  });

/** The facts of every region's app template. */
export const stageFacts = (regions: readonly RegionTemplates[]): StageFacts => ({
  tables: regions.flatMap(tablesOf),
  mappings: regions.flatMap(({ region, app }) =>
    resourcesOfType(app, 'AWS::Lambda::EventSourceMapping').map(([logicalId, m]) => ({
      region,
      logicalId,
      source: arnOf(m.Properties?.EventSourceArn, region, app),
    })),
  ),
  grants: regions.flatMap(grantsOf),
  destinations: regions.flatMap(destinationsOf),
  logs: regions.map(({ region, app }) => ({
    region,
    groups: resourcesOfType(app, 'AWS::Logs::LogGroup').map(([, g]) => String(g.Properties?.LogGroupName)),
    functions: resourcesOfType(app, 'AWS::Lambda::Function').map(([, f]) => String(f.Properties?.FunctionName)),
  })),
});

/** The table an ARN names (`table/<name>/…`), or undefined. */
export const tableNameOf = (arn: ArnFacts | undefined): string | undefined =>
  arn?.service === 'dynamodb' ? /^table\/([^/]+)/.exec(arn.resource)?.[1] : undefined;
