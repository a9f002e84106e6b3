import fc from 'fast-check';

/**
 * Generators of what can reach the ingest function: arbitrary JSON, non-JSON values, and EventBridge
 * envelopes whose fields are each left valid, made hostile or left out. Key values and event ids are
 * drawn from small pools so that retries and duplicates happen as often as new keys.
 */

const ORDERS = 'com.switchyard.orders';
const PAYMENTS = 'com.switchyard.payments';
const EU = 'com.switchyard.eu.customers';
const MISSING = Symbol('missing');

/** Numbers the Lambda runtime produces from JSON text: safe, unsafe (already rounded) and fractional. */
const parsedNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, 1, 2, 42, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
  fc
    .constantFrom('12345678901234567891', '12345678901234567890', '9007199254740993', '1e21', '1.0', '-0', '0.1')
    .map((text) => JSON.parse(text) as number),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: loneSurrogate, maxLength: 4 }),
  fc.bigInt().map((n) => `${n}n`),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map(String),
  fc.constantFrom('', ' ', '__proto__', 'constructor', 'toString', 'switchyard:hop:3', '\u0000', '#', '"', '\\'),
);

/** A value of any JSON type, small. */
const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  parsedNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
);

/** A string of 20 KB to 260 KB, ASCII or three-byte characters: repeated into messages, it must not break quarantine. */
const hugeString = fc
  .tuple(fc.integer({ min: 20_000, max: 260_000 }), fc.constantFrom('x', '€'))
  .map(([bytes, char]) => char.repeat(Math.floor(bytes / Buffer.byteLength(char))));

/** A value that is valid JSON but not what the field expects, or not JSON at all (rarely). */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 40, arbitrary: hostileScalar },
  { weight: 1, arbitrary: hugeString },
  { weight: 10, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 5, arbitrary: fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, 10n) },
);

const keyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 60, arbitrary: fc.constantFrom('o-1', 'o-2', 'p-1', 'c-1', '1', 1, 2) },
  { weight: 30, arbitrary: parsedNumber },
  { weight: 30, arbitrary: hostileScalar },
  { weight: 10, arbitrary: fc.string({ minLength: 1100, maxLength: 1500 }) },
  { weight: 1, arbitrary: hugeString },
);

/** An object with own members only, `__proto__` included (as JSON.parse builds it). */
const objectOf = (entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> =>
  Object.fromEntries(entries);

const nested = (levels: number, leaf: unknown, asArrays: boolean): unknown => {
  let value = leaf;
  for (let level = 0; level < levels; level += 1) value = asArrays ? [value] : { orderId: 'o-1', n: value };
  return value;
};

const detailKey = fc.oneof(
  fc.constantFrom('orderId', 'paymentId', 'customerId', 'version', 'tenant', 'total', '__proto__', 'constructor'),
  fc.string({ maxLength: 8 }),
);

/** `arbitrary`, or MISSING in `missing` of `present + missing` cases. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, present: number, missing = 1) =>
  fc.oneof({ weight: present, arbitrary }, { weight: missing, arbitrary: fc.constant(MISSING) });

/** A detail carrying every sample source's key members (each sometimes missing), plus hostile members. */
const detailObject: fc.Arbitrary<unknown> = fc
  .record({
    orderId: sometimes(keyValue, 10),
    paymentId: sometimes(keyValue, 10),
    customerId: sometimes(keyValue, 10),
    version: sometimes(keyValue, 10),
    tenant: sometimes(
      fc.oneof({ weight: 20, arbitrary: fc.constantFrom('orders', 'payments', 'eu-customers', 'nobody') }, hugeString),
      1,
      3,
    ),
    extra: fc.array(fc.tuple(detailKey, fc.oneof(keyValue, wrongValue)), { maxLength: 4 }),
  })
  .map(({ extra, ...members }) =>
    objectOf([...Object.entries(members).filter(([, value]) => value !== MISSING), ...extra]),
  );

const detail: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 20, arbitrary: detailObject },
  { weight: 3, arbitrary: wrongValue },
  { weight: 2, arbitrary: fc.array(keyValue, { maxLength: 4 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.oneof(
          { weight: 9, arbitrary: fc.integer({ min: 80, max: 2_500 }) },
          fc.integer({ min: 20_000, max: 60_000 }),
        ),
        fc.boolean(),
      )
      .map(([levels, asArrays]) => nested(levels, 1, asArrays)),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        { weight: 4, arbitrary: fc.integer({ min: 4_000, max: 30_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 255_000, max: 600_000 }) },
      )
      .map((length) => ({ orderId: 'o-1', blob: 'x'.repeat(length) })),
  },
  { weight: 2, arbitrary: fc.jsonValue() },
);

const resource = fc.oneof(
  fc.constantFrom('arn:aws:s3:::bucket', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1'),
  fc.constantFrom(0, 1, 2, 2, 3, 6).map((hops) => `switchyard:hop:${hops}`),
  fc.constantFrom(
    'switchyard:key:k1["com.switchyard.orders","s:o-1"]',
    'switchyard:epoch:us-east-1:99',
    'switchyard:replay:job',
    'switchyard:hop:99999',
  ),
  hostileString,
);

const field = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 120, arbitrary: valid },
    { weight: 1, arbitrary: wrongValue },
    { weight: 1, arbitrary: fc.constant(MISSING) },
  );

const envelope: fc.Arbitrary<unknown> = fc
  .record({
    version: field(fc.constant('0')),
    id: field(fc.constantFrom('evt-1', 'evt-2', 'evt-3', 'b5c0b4a8-2d0e-4f5e-9c39-7a1f0d6c1e01')),
    'detail-type': field(fc.constantFrom('OrderPlaced', 'OrderCancelled', 'PaymentCaptured', 'CustomerUpdated', '🚂')),
    source: field(
      fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(ORDERS, PAYMENTS, EU) },
        { weight: 1, arbitrary: fc.constantFrom(`${ORDERS} `, 'COM.SWITCHYARD.ORDERS', 'com.example.x') },
        { weight: 1, arbitrary: hostileString },
      ),
    ),
    account: field(fc.constantFrom('123456789012', '123456789012', '123456789012', '123456789012', '999999999999')),
    time: field(
      fc.oneof(
        { weight: 20, arbitrary: fc.constantFrom('2026-11-27T10:00:00Z', '2026-11-27T10:00:00.123Z') },
        { weight: 1, arbitrary: fc.constantFrom('yesterday', '2026-13-45T99:00:00Z', '2026-11-27 10:00:00') },
      ),
    ),
    region: field(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2')),
    resources: field(fc.array(resource, { maxLength: 4 })),
    detail: field(detail),
    extra: fc.array(fc.tuple(fc.constantFrom('__proto__', 'replay-name', 'constructor', 'x'), wrongValue), {
      maxLength: 1,
    }),
  })
  .map(({ extra, ...fields }) =>
    objectOf([...Object.entries(fields).filter(([, value]) => value !== MISSING), ...extra]),
  );

/** Any input the ingest function might be handed, weighted towards envelopes that get far into the decision. */
export const hostileInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 36, arbitrary: envelope },
  { weight: 2, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.anything() },
  { weight: 1, arbitrary: wrongValue },
);
