import type { KeyPath } from '../ingest/key-encoding';
import type { CatalogIssue } from './catalog-errors';

// No empty segment and no whitespace: `detail..id` or `detail. id` are typos, not paths.
const SEGMENT = /^[^.\s]+$/;

const KEY_PATH_HELP = 'use id (the EventBridge event id) or detail.<field>(.<field>)*, such as detail.orderId';
const DETAIL_PATH_HELP = 'fields and redact take detail.<field>(.<field>)*, such as detail.orderId';

// An empty path would otherwise read as a message starting with a blank.
const shown = (text: string): string => (text === '' ? '""' : text);

const splitPath = (text: string): string[] | undefined => {
  const segments = text.split('.');
  return segments.every((segment) => SEGMENT.test(segment)) ? segments : undefined;
};

const isDetailPath = (segments: readonly string[] | undefined): segments is string[] =>
  segments !== undefined && segments.length > 1 && segments[0] === 'detail';

/**
 * Only the event id and the producer's detail may key an event: envelope fields such as `source`, `time`
 * or `account` are set by EventBridge, the same for many events, and would merge unrelated ones.
 */
const parseKeyPath = (text: string): KeyPath | string => {
  const segments = splitPath(text);
  if (text === 'id' || isDetailPath(segments)) return segments ?? [text];
  return `${shown(text)} is not an allowed key path: ${KEY_PATH_HELP}`;
};

const parseDetailPath = (text: string): KeyPath | string => {
  const segments = splitPath(text);
  return isDetailPath(segments) ? segments : `${shown(text)} is not a detail path: ${DETAIL_PATH_HELP}`;
};

const isPrefix = (prefix: KeyPath, path: KeyPath): boolean =>
  prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);

const clashMessage = (text: string, earlier: string): string =>
  text === earlier
    ? `${text} is listed twice`
    : `${text} overlaps ${earlier}, listed before it: a list may not hold both a path and a path inside it`;

/**
 * Parses a list of paths, refusing a repeat and a path inside another listed one: a key component that
 * is an object can never be a key, and nested projection paths would depend on their order.
 */
const compilePathList = (
  texts: readonly string[],
  at: (index: number) => string,
  parse: (text: string) => KeyPath | string,
  issues: CatalogIssue[],
): KeyPath[] => {
  const paths: KeyPath[] = [];
  texts.forEach((text, i) => {
    const parsed = parse(text);
    const clash =
      typeof parsed === 'string' ? undefined : paths.find((p) => isPrefix(p, parsed) || isPrefix(parsed, p));
    if (typeof parsed === 'string') issues.push({ path: at(i), message: parsed });
    else if (clash) issues.push({ path: at(i), message: clashMessage(text, clash.join('.')) });
    else paths.push(parsed);
  });
  return paths;
};

/** Compiles `idempotencyKey` (one path or a list) into key paths; absent gives [] (the event id). */
export const compileKeyPaths = (
  idempotencyKey: string | readonly string[] | undefined,
  path: string,
  issues: CatalogIssue[],
): KeyPath[] => {
  if (idempotencyKey === undefined) return [];
  if (typeof idempotencyKey === 'string') return compilePathList([idempotencyKey], () => path, parseKeyPath, issues);
  return compilePathList(idempotencyKey, (i) => `${path}[${i}]`, parseKeyPath, issues);
};

/** Compiles a route's `fields` or `redact` list into detail paths. */
export const compileDetailPaths = (texts: readonly string[], path: string, issues: CatalogIssue[]): KeyPath[] =>
  compilePathList(texts, (i) => `${path}[${i}]`, parseDetailPath, issues);
