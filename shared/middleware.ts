import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics } from './observability';

type Handler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

/**
 * Builds a handler's dependencies at its first invocation, once per cold start, so importing a
 * handler module has no side effects: no environment read, no client created.
 */
export const buildOnFirstCall = <TDeps, TEvent, TResult>(
  defaultDeps: () => TDeps,
  createHandler: (deps: TDeps) => Handler<TEvent, TResult>,
): Handler<TEvent, TResult> => {
  let built: Handler<TEvent, TResult> | undefined;
  return (event, context) => (built ??= createHandler(defaultDeps()))(event, context);
};

/** Wraps a handler with the shared middleware: structured logs with Lambda context, and EMF metrics flushed per invocation. */
export const withMiddleware = <TEvent, TResult>(fn: Handler<TEvent, TResult>) =>
  middy(fn)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
