import { validationError } from './errors';

/**
 * Pages a sorted list the way the List operations do. The token is an opaque offset;
 * AWS tokens are opaque too, so callers cannot depend on the format.
 */
export const paginate = <T>(
  items: readonly T[],
  limit: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } => {
  const start = nextToken === undefined ? 0 : decodeToken(nextToken);
  const end = limit === undefined ? items.length : start + limit;
  const page = items.slice(start, end);
  return end < items.length ? { page, nextToken: encodeToken(end) } : { page };
};

const encodeToken = (offset: number): string => Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');

const decodeToken = (token: string): number => {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0)
      return parsed.offset;
  } catch {
    // fall through to the same error as a well-formed but wrong token
  }
  throw validationError('The NextToken provided is invalid.');
};
