import { DomainError } from '../errors';

/** One mistake in a catalog, located by its path, e.g. `routes[2].targets[0]`. */
export interface CatalogIssue {
  path: string;
  message: string;
}

/** A routes catalog that failed validation; `issues` names the path of every mistake. */
export class CatalogValidationError extends DomainError {
  readonly code = 'CatalogValidation';

  constructor(readonly issues: readonly CatalogIssue[]) {
    super(
      `Routes catalog is not valid:\n${issues.map((i) => `  - ${i.path || '(document)'}: ${i.message}`).join('\n')}`,
    );
  }
}

/** Publishing a version number that already holds different content; versions are immutable. */
export class CatalogVersionConflictError extends DomainError {
  readonly code = 'CatalogVersionConflict';

  constructor(readonly version: number) {
    super(
      `Routes catalog version ${version} already exists with different content; versions are immutable, publish a new version number.`,
    );
  }
}

/** No routes catalog version is active yet, so events cannot be pinned to one. */
export class NoActiveCatalogError extends DomainError {
  readonly code = 'NoActiveCatalog';

  constructor() {
    super('No routes catalog version is active; publish and activate one (see README "Routes catalog").');
  }
}

/** Formats a path array as `routes[2].targets[0]`. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
    '',
  );

/** A routes catalog version that was never published. */
export class CatalogVersionNotFoundError extends DomainError {
  readonly code = 'CatalogVersionNotFound';

  constructor(readonly version: number) {
    super(
      `Routes catalog version ${version} has not been published; publish it (admin routes.publish) before using it.`,
    );
  }
}
