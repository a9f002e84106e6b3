/**
 * DynamoDB Local keeps one database per (access key, region). The proxy rewrites every caller's
 * access key to this one, so a region's data is the same whichever credentials a client uses.
 * Letters and digits only: DynamoDB Local rejects other access key ids.
 */
export const LOCAL_ACCESS_KEY_ID = 'switchyardlocal';
export const LOCAL_SECRET_ACCESS_KEY = 'switchyardlocal';
export const LOCAL_ACCOUNT_ID = '000000000000';

export const localCredentials = { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY };
