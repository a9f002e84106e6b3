import { describe, expect, it } from 'vitest';
import { resolveFunctionName } from '../../../local/lambda-api/function-name';
import { DEFAULT_PORTS } from '../../../local/cloud/local-cloud';
import { LOCAL_STAGE as CLOUD_STAGE } from '../../../local/cloud/local-stage';
import { LOCAL_ENDPOINT, LOCAL_STAGE } from '../../../cli/target';

describe('the local Lambda API names functions as AWS does', () => {
  it("reaches the local function `admin` by the stage's deployed name switchyard-local-admin", () => {
    const ref = resolveFunctionName('switchyard-local-admin', 'eu-west-1', undefined, 'local');

    expect(ref).toEqual({
      functionName: 'admin',
      qualifier: undefined,
      arn: 'arn:aws:lambda:eu-west-1:000000000000:function:switchyard-local-admin',
    });
  });

  it('accepts the deployed name inside a full ARN too', () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:switchyard-local-admin';

    expect(resolveFunctionName(arn, 'us-east-1', undefined, 'local').functionName).toBe('admin');
  });

  it("leaves another stage's names alone, so they answer ResourceNotFound", () => {
    expect(resolveFunctionName('switchyard-prod-admin', 'eu-west-1', undefined, 'local').functionName).toBe(
      'switchyard-prod-admin',
    );
    expect(resolveFunctionName('switchyard-local-admin', 'eu-west-1').functionName).toBe('switchyard-local-admin');
  });

  it("keeps the CLI's local defaults in step with the local cloud's port and stage", () => {
    expect(LOCAL_ENDPOINT).toBe(`http://127.0.0.1:${DEFAULT_PORTS.lambda}`);
    expect(LOCAL_STAGE).toBe(CLOUD_STAGE);
  });
});
