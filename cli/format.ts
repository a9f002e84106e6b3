import { stringify } from 'yaml';
import { AdminRefusedError, type CliError } from './cli-errors';

type Cell = string | number | boolean | null | undefined;

/** Widest a cell before the last column gets before it is cut with an ellipsis, so columns stay aligned. */
const MAX_CELL = 60;

const cellText = (cell: Cell, last: boolean): string => {
  const text = cell === null || cell === undefined || cell === '' ? '-' : String(cell);
  return !last && text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
};

/** A plain-text table: upper-case headers, columns padded to their widest cell; the last one is never cut. */
export const renderTable = (headers: readonly string[], rows: readonly (readonly Cell[])[]): string => {
  const texts = rows.map((row) => headers.map((_, i) => cellText(row[i], i === headers.length - 1)));
  const widths = headers.map((h, i) => Math.max(h.length, ...texts.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...texts.map(line)].join('\n');
};

/** A table of records whose shape the CLI does not fix: one column per key, nested values as compact JSON. */
export const renderRecords = (records: readonly unknown[]): string => {
  const rows = records.map((r) =>
    typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : { value: r },
  );
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (value: unknown): Cell =>
    value === null || value === undefined || typeof value !== 'object' ? (value as Cell) : JSON.stringify(value);
  return renderTable(
    columns,
    rows.map((r) => columns.map((c) => cell(r[c]))),
  );
};

/** Any result, readable: YAML, which is also how routes catalogs are written. */
export const renderValue = (value: unknown): string => stringify(value, { lineWidth: 0 }).trimEnd();

/** A zod issue (`path` array) or a catalog issue (`path` string), as `path: message`. */
const renderIssue = (issue: unknown): string => {
  const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
  const where = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '';
  return `  - ${where || '(request)'}: ${typeof message === 'string' ? message : JSON.stringify(issue)}`;
};

/** An error as the operator reads it: what went wrong, every issue with its path, and what to do next. */
export const renderError = (error: CliError): string => {
  const lines: string[] = [];
  if (error instanceof AdminRefusedError) {
    const issues = Array.isArray(error.error.issues) ? error.error.issues : [];
    const message = issues.length > 0 ? (error.error.message.split('\n')[0] ?? '') : error.error.message;
    lines.push(`error: ${error.action} refused (${error.error.code}): ${message}`, ...issues.map(renderIssue));
  } else {
    lines.push(`error: ${error.message}`);
  }
  if (error.next) lines.push(`next: ${error.next}`);
  return lines.join('\n');
};

/** An error as a script reads it with `--json`. */
export const errorJson = (error: CliError): Record<string, unknown> =>
  error instanceof AdminRefusedError
    ? { ok: false, action: error.action, error: error.error, ...(error.next ? { next: error.next } : {}) }
    : {
        ok: false,
        error: { code: 'code' in error ? error.code : 'Usage', message: error.message },
        ...(error.next ? { next: error.next } : {}),
      };

/**
 * A listing whose exact shape the CLI does not fix: an array becomes a table; an object with one
 * array becomes its scalar fields as `name: value` lines, then that array as a table.
 */
export const renderListing = (result: unknown, empty = 'nothing found'): string => {
  if (Array.isArray(result)) return result.length === 0 ? empty : renderRecords(result);
  if (typeof result !== 'object' || result === null) return renderValue(result);
  const entries = Object.entries(result as Record<string, unknown>);
  const lists = entries.filter(([, value]) => Array.isArray(value));
  const [list] = lists;
  if (lists.length !== 1 || !list) return renderValue(result);
  const fields = entries.filter(([, value]) => !Array.isArray(value) && value !== undefined);
  const header = fields.map(
    ([name, value]) => `${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
  );
  const rows = list[1] as unknown[];
  return [...header, rows.length === 0 ? empty : renderRecords(rows)].join('\n');
};
