/** One request to the control API, already parsed. */
export interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface ControlResponse {
  status?: number;
  body: unknown;
}

/** A control API route: `path` uses `:name` segments, e.g. `/faults/:service/:region`. */
export interface ControlRoute {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  description: string;
  handle(request: ControlRequest): Promise<ControlResponse> | ControlResponse;
}

/** A client mistake in a control request; answered with 400 and the message. */
export class ControlRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'ControlRequestError';
  }
}

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ControlRequestError(`path segment ${JSON.stringify(segment)} is not valid percent-encoding`);
  }
};

/** Finds the route for a method and path, returning its path parameters; malformed escapes are a ControlRequestError. */
export const matchRoute = (
  routes: readonly ControlRoute[],
  method: string,
  pathname: string,
): { route: ControlRoute; params: Record<string, string> } | undefined => {
  const segments = pathname.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((part, i) => {
      const segment = decodeSegment(segments[i] ?? '');
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (ok) return { route, params };
  }
  return undefined;
};
