/**
 * The local cloud's functions sign their SDK requests with the access key id `fn-<region>`, so the
 * engines can tell which region a call comes from (AWS would know it from the network path).
 */
const FUNCTION_KEY_PREFIX = 'fn-';

/** The access key id a function of `region` signs with. */
export const functionAccessKeyId = (region: string): string => `${FUNCTION_KEY_PREFIX}${region}`;

/** The region of a function's `fn-<region>` key; undefined for any other caller (a person or a test is in no region). */
export const callerRegionOf = (accessKeyId: string | undefined): string | undefined => {
  if (!accessKeyId?.startsWith(FUNCTION_KEY_PREFIX)) return undefined;
  const region = accessKeyId.slice(FUNCTION_KEY_PREFIX.length);
  return region === '' ? undefined : region;
};
