import type { EventEnvelope } from './envelope';
import { parseJsonPath, readJsonPath } from './json-path';
import type { Rule, Target } from './store';

/** What a target receives: `payload` for Lambda, `text` for an SQS body. */
export interface TargetInput {
  payload: unknown;
  text: string;
}

/** Applies the target's Input, InputPath or InputTransformer; without one the envelope goes as is. */
export const renderTargetInput = (target: Target, envelope: EventEnvelope, rule: Rule): TargetInput => {
  if (target.input !== undefined) return fromText(target.input);
  if (target.inputTransformer) return fromText(applyTemplate(target.inputTransformer, envelope, rule));
  const value =
    target.inputPath === undefined ? envelope : (readJsonPath(envelope, parseJsonPath(target.inputPath) ?? []) ?? null);
  // A copy, so an in-process function that mutates its event cannot alter what the inspector recorded.
  return { payload: structuredClone(value), text: JSON.stringify(value) };
};

/** A template that is not JSON (e.g. `"<id> placed"` unquoted text) is delivered as a plain string. */
const fromText = (text: string): TargetInput => {
  try {
    return { payload: JSON.parse(text) as unknown, text };
  } catch {
    return { payload: text, text };
  }
};

/**
 * Fills `<name>` placeholders. Strings are inserted without quotes (the template supplies them,
 * JSON-escaped when the template is JSON); other values are inserted as JSON.
 */
const applyTemplate = (
  transformer: NonNullable<Target['inputTransformer']>,
  envelope: EventEnvelope,
  rule: Rule,
): string => {
  const values = resolveValues(transformer.inputPathsMap, envelope, rule);
  const jsonTemplate = /^\s*[{[]/.test(transformer.inputTemplate);
  return transformer.inputTemplate.replace(/<([\w.-]+)>/g, (whole, name: string) => {
    if (!(name in values)) return whole;
    const value = values[name];
    if (typeof value === 'string') return jsonTemplate ? JSON.stringify(value).slice(1, -1) : value;
    return JSON.stringify(value ?? null);
  });
};

const resolveValues = (paths: Record<string, string>, envelope: EventEnvelope, rule: Rule): Record<string, unknown> => {
  const reserved: Record<string, unknown> = {
    'aws.events.rule-arn': rule.arn,
    'aws.events.rule-name': rule.name,
    'aws.events.event': envelope,
    'aws.events.event.json': envelope,
    'aws.events.event.ingestion-time': envelope.time,
  };
  const mapped = Object.entries(paths).map(([name, path]) => [name, readJsonPath(envelope, parseJsonPath(path) ?? [])]);
  return { ...reserved, ...Object.fromEntries(mapped) };
};
