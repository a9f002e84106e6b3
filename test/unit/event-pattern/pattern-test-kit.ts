import { compileEventPattern, InvalidEventPatternError } from '../../../shared/domain/event-pattern';

/** Compiles the pattern and reports the reason AWS-style validation gives for rejecting it. */
export const rejectionReason = (pattern: string | object): string => {
  try {
    compileEventPattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error.reason;
    throw error;
  }
  throw new Error(`expected the pattern to be rejected: ${JSON.stringify(pattern)}`);
};

/** Builds a minimal EventBridge envelope around a detail object, as the user-guide examples do. */
export const anEvent = (detail: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail,
  ...overrides,
});
