/**
 * A whole-request error answered the way AWS JSON 1.1 services do: HTTP status plus
 * `{"__type": code, "message": message}`. The SDK maps `__type` to its exception classes.
 */
export class EventBridgeApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'EventBridgeApiError';
  }
}

/** 400 ValidationException with the given text. */
export const validationError = (message: string): EventBridgeApiError =>
  new EventBridgeApiError('ValidationException', message);

/** 400 ResourceNotFoundException with the given text. */
export const notFoundError = (message: string): EventBridgeApiError =>
  new EventBridgeApiError('ResourceNotFoundException', message);

/** 400 ResourceAlreadyExistsException with the given text. */
export const alreadyExistsError = (message: string): EventBridgeApiError =>
  new EventBridgeApiError('ResourceAlreadyExistsException', message);

/** 400 LimitExceededException with the text AWS uses for every quota. */
export const limitExceededError = (): EventBridgeApiError =>
  new EventBridgeApiError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');

/** 400 SerializationException: the body does not fit the operation's input shape. */
export const serializationError = (message: string): EventBridgeApiError =>
  new EventBridgeApiError('SerializationException', message);

/** The missing-bus text AWS uses in DescribeEventBus, PutRule, ListRules, ... */
export const busNotFoundError = (busName: string): EventBridgeApiError =>
  notFoundError(`Event bus ${busName} does not exist.`);

/** The missing-rule text AWS uses in DescribeRule, PutTargets, EnableRule, ... */
export const ruleNotFoundError = (ruleName: string, busName: string): EventBridgeApiError =>
  notFoundError(`Rule ${ruleName} does not exist on EventBus ${busName}.`);

/**
 * The Coral constraint text AWS returns for a parameter that breaks the model, e.g.
 * `1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: Member must ...`.
 */
export const constraintError = (value: unknown, path: string, constraint: string): EventBridgeApiError =>
  validationError(
    `1 validation error detected: Value ${renderValue(value)} at '${path}' failed to satisfy constraint: ${constraint}`,
  );

const renderValue = (value: unknown): string => (value === undefined || value === null ? 'null' : `'${String(value)}'`);
