import { parseDocument } from 'yaml';
import { CatalogValidationError } from './catalog-errors';

/** Parses catalog YAML text into a plain document; YAML syntax errors become CatalogValidationError with line numbers. */
export const parseCatalogYaml = (text: string): unknown => {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new CatalogValidationError(
      doc.errors.map((e) => ({
        path: `line ${e.linePos?.[0]?.line ?? '?'}`,
        message: e.message.split('\n')[0] ?? e.message,
      })),
    );
  }
  return doc.toJS();
};
