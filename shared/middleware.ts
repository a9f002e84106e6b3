import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics } from './observability';

/** Wraps a handler with the shared middleware: structured logs with Lambda context, and EMF metrics flushed per invocation. */
export const withMiddleware = <TEvent, TResult>(fn: (event: TEvent, context: Context) => Promise<TResult>) =>
  middy(fn)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
