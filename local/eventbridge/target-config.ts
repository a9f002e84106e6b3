import { isQueueArn } from './arns';
import { constraintError, serializationError, validationError } from './errors';
import { parseJsonPath } from './json-path';
import { PATTERNS, readInteger, readObject, readString, type JsonObject } from './request-fields';
import type { Target } from './store';

/** AWS's RetryPolicy defaults for classic buses: 185 retries within 24 hours. */
export const DEFAULT_RETRY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 } as const;

/** Validates one PutTargets member (1-based `index` for AWS's `targets.N.member.x` paths). */
export const readTarget = (raw: unknown, index: number): Target => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw serializationError('Each target must be a structure.');
  const wire = raw as JsonObject;
  const prefix = `targets.${index}.member.`;
  const id = readString(wire, 'Id', { required: true, min: 1, max: 64, pattern: PATTERNS.targetId }, prefix) ?? '';
  const arn = readString(wire, 'Arn', { required: true, min: 1, max: 1600 }, prefix) ?? '';
  const input = readString(wire, 'Input', { max: 8192 }, prefix);
  const inputPath = readString(wire, 'InputPath', { max: 256 }, prefix);
  const inputTransformer = readTransformer(wire, `${prefix}inputTransformer.`);
  if ([input, inputPath, inputTransformer].filter((v) => v !== undefined).length > 1) {
    throw validationError('Only one of Input, InputPath, or InputTransformer must be provided.');
  }
  if (input !== undefined && !isJson(input))
    throw validationError(`Parameter Input of target ${id} is not valid JSON.`);
  if (inputPath !== undefined && !parseJsonPath(inputPath))
    throw validationError(`Parameter InputPath of target ${id} is not a valid JSON path.`);
  return {
    id,
    arn,
    input,
    inputPath,
    inputTransformer,
    ...readRetryPolicy(wire, prefix),
    deadLetterArn: readDeadLetterArn(wire, prefix),
    wire,
  };
};

const readTransformer = (wire: JsonObject, prefix: string): Target['inputTransformer'] => {
  const transformer = readObject(wire, 'InputTransformer');
  if (!transformer) return undefined;
  const inputTemplate = readString(transformer, 'InputTemplate', { required: true, min: 1, max: 8192 }, prefix) ?? '';
  const paths = readObject(transformer, 'InputPathsMap') ?? {};
  const entries = Object.entries(paths);
  if (entries.length > 100)
    throw constraintError(`${entries.length} entries`, `${prefix}inputPathsMap`, 'Map must have at most 100 entries');
  for (const [name, path] of entries) {
    if (typeof path !== 'string' || !parseJsonPath(path))
      throw validationError(`InputPathsMap entry ${name} is not a valid JSON path.`);
  }
  return { inputTemplate, inputPathsMap: paths as Record<string, string> };
};

const readRetryPolicy = (
  wire: JsonObject,
  prefix: string,
): Pick<Target, 'maximumRetryAttempts' | 'maximumEventAgeInSeconds'> => {
  const policy = readObject(wire, 'RetryPolicy') ?? {};
  const retryPrefix = `${prefix}retryPolicy.`;
  return {
    maximumRetryAttempts:
      readInteger(policy, 'MaximumRetryAttempts', { min: 0, max: 185 }, retryPrefix) ??
      DEFAULT_RETRY.maximumRetryAttempts,
    maximumEventAgeInSeconds:
      readInteger(policy, 'MaximumEventAgeInSeconds', { min: 60, max: 86_400 }, retryPrefix) ??
      DEFAULT_RETRY.maximumEventAgeInSeconds,
  };
};

/** Only SQS queues can be DLQs; failing here beats losing the event at delivery time. */
const readDeadLetterArn = (wire: JsonObject, prefix: string): string | undefined => {
  const config = readObject(wire, 'DeadLetterConfig');
  const arn = config ? readString(config, 'Arn', { min: 1, max: 1600 }, `${prefix}deadLetterConfig.`) : undefined;
  if (arn !== undefined && !isQueueArn(arn))
    throw validationError(`Parameter DeadLetterConfig.Arn is not valid: ${arn} is not an SQS queue ARN.`);
  return arn;
};

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
