import { constraintError } from './errors';
import type { Operation } from './operation';
import { paginate } from './pagination';
import { PATTERNS, readList, readPage, readString, type JsonObject } from './request-fields';
import { findRule } from './rule-operations';
import { readTarget } from './target-config';

/** `AWSEvents.PutTargets`: upserts by Id, all or nothing, at most 5 targets per rule. */
export const putTargets: Operation = (input, ctx) => {
  const raw = readList(input, 'Targets', true) ?? [];
  if (raw.length < 1) throw constraintError('[]', 'targets', 'Member must have length greater than or equal to 1');
  if (raw.length > 100)
    throw constraintError(`${raw.length} targets`, 'targets', 'Member must have length less than or equal to 100');
  const targets = raw.map((item, i) => readTarget(item, i + 1));
  const { rule } = findRule(input, ctx, 'Rule');
  ctx.store.putTargets(rule, targets);
  return { FailedEntryCount: 0, FailedEntries: [] };
};

/** `AWSEvents.ListTargetsByRule`: targets as they were put, paged. */
export const listTargetsByRule: Operation = (input, ctx) => {
  const { rule } = findRule(input, ctx, 'Rule');
  const { limit, nextToken } = readPage(input);
  const { page, nextToken: next } = paginate([...rule.targets.values()], limit, nextToken);
  return { Targets: page.map((t) => t.wire), ...(next !== undefined && { NextToken: next }) };
};

/** `AWSEvents.RemoveTargets`: ids that are not on the rule are ignored. */
export const removeTargets: Operation = (input, ctx) => {
  const ids = readIds(input);
  const { rule } = findRule(input, ctx, 'Rule');
  for (const id of ids) rule.targets.delete(id);
  return { FailedEntryCount: 0, FailedEntries: [] };
};

const readIds = (input: JsonObject): string[] => {
  const ids = readList(input, 'Ids', true) ?? [];
  if (ids.length < 1) throw constraintError('[]', 'ids', 'Member must have length greater than or equal to 1');
  const rule = { required: true, min: 1, max: 64, pattern: PATTERNS.targetId };
  return ids.map((id, i) => readString({ Id: id }, 'Id', rule, `ids.${i + 1}.member.`) ?? '');
};
