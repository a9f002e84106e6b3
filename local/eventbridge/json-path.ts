/**
 * The JSONPath subset EventBridge targets use: `$`, `.name` (hyphens allowed, as in
 * `$.detail-type`), `['name']` and `[index]`. Returns undefined for a syntax error.
 */
export const parseJsonPath = (path: string): Array<string | number> | undefined => {
  if (!path.startsWith('$')) return undefined;
  const segments: Array<string | number> = [];
  const token = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  token.lastIndex = 1;
  while (token.lastIndex < path.length) {
    const match = token.exec(path);
    if (!match) return undefined;
    const [, dotted, index, single, double] = match;
    segments.push(index !== undefined ? Number(index) : (dotted ?? single ?? double ?? ''));
  }
  return segments;
};

/** Evaluates a parsed path; a segment that does not resolve yields undefined. */
export const readJsonPath = (value: unknown, segments: ReadonlyArray<string | number>): unknown =>
  segments.reduce<unknown>((current, segment) => {
    if (current === null || typeof current !== 'object') return undefined;
    return (current as Record<string | number, unknown>)[segment];
  }, value);
