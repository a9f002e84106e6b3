/** An AWS JSON 1.0 error answer: HTTP status plus the `__type` / `message` body the SDKs parse. */
export interface AwsJsonError {
  status: number;
  body: { __type: string; message: string };
}

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810';

const error = (status: number, type: string, message: string): AwsJsonError => ({
  status,
  body: { __type: type, message },
});

/** Answer for a request the proxy cannot attribute to a region because it is not SigV4-signed. */
export const missingAuthenticationError = (): AwsJsonError =>
  error(
    400,
    'com.amazon.coral.service#MissingAuthenticationTokenException',
    'Request is missing Authentication Token: the local DynamoDB proxy reads the region from the SigV4 ' +
      'credential scope (Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/dynamodb/aws4_request). ' +
      'Sign requests with any access key, for example with an AWS SDK or the aws CLI.',
  );

/** Answer for an injected `down: '503'` fault. */
export const serviceUnavailableError = (): AwsJsonError =>
  error(503, `${DYNAMODB}#ServiceUnavailable`, 'The service is currently unavailable or busy.');

/**
 * Answer for an injected throttle. The tables API and the streams API throttle differently:
 * GetRecords models LimitExceededException, the other streams operations answer the generic
 * ThrottlingException. All three are in the SDKs' list of retryable throttling codes.
 */
export const throttlingError = (api: 'dynamodb' | 'streams', operation: string): AwsJsonError => {
  if (api === 'dynamodb') {
    return error(
      400,
      `${DYNAMODB}#ProvisionedThroughputExceededException`,
      'The level of configured provisioned throughput for the table was exceeded. ' +
        'Consider increasing your provisioning level with the UpdateTable API.',
    );
  }
  if (operation === 'GetRecords') {
    return error(
      400,
      `${DYNAMODB}#LimitExceededException`,
      'Your request rate is too high. The AWS SDKs for DynamoDB automatically retry requests that receive this exception.',
    );
  }
  return error(400, 'com.amazon.coral.availability#ThrottlingException', 'Rate exceeded');
};

/** Answer when DynamoDB Local itself cannot be reached: a gateway failure, which SDKs retry as transient. */
export const engineUnreachableError = (engineEndpoint: string, cause: string): AwsJsonError =>
  error(502, `${DYNAMODB}#InternalServerError`, `DynamoDB Local at ${engineEndpoint} did not answer: ${cause}`);

/** Answer when the proxy itself failed on a request; says so rather than blaming the engine. */
export const proxyFailureError = (cause: string): AwsJsonError =>
  error(500, `${DYNAMODB}#InternalServerError`, `The local DynamoDB proxy failed on this request: ${cause}`);
