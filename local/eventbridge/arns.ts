/** ARN of an event bus: `arn:aws:events:<region>:<account>:event-bus/<name>`. */
export const eventBusArn = (region: string, accountId: string, busName: string): string =>
  `arn:aws:events:${region}:${accountId}:event-bus/${busName}`;

/** ARN of a rule; AWS leaves the bus out for rules on the default bus. */
export const ruleArn = (region: string, accountId: string, busName: string, ruleName: string): string =>
  busName === 'default'
    ? `arn:aws:events:${region}:${accountId}:rule/${ruleName}`
    : `arn:aws:events:${region}:${accountId}:rule/${busName}/${ruleName}`;

/** The parts of an event bus ARN, or undefined when the string is not one. */
export interface BusArnParts {
  region: string;
  accountId: string;
  busName: string;
}

const BUS_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;

/** Parses an event bus ARN. */
export const parseEventBusArn = (arn: string): BusArnParts | undefined => {
  const match = BUS_ARN.exec(arn);
  return match?.[1] && match[2] && match[3] ? { region: match[1], accountId: match[2], busName: match[3] } : undefined;
};

/** True for `arn:aws:sqs:<region>:<account>:<name>`. */
export const isQueueArn = (arn: string): boolean => /^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/.test(arn);

/** What a `Name`/`EventBusName` member refers to: a plain name, or the parts of an ARN. */
export const resolveBusReference = (nameOrArn: string | undefined): { busName: string; arn?: BusArnParts } => {
  if (nameOrArn === undefined) return { busName: 'default' };
  const arn = parseEventBusArn(nameOrArn);
  return arn ? { busName: arn.busName, arn } : { busName: nameOrArn };
};
