import { describe, expect, it } from 'vitest';
import { rejectionReason } from './pattern-test-kit';

type Case = readonly [description: string, pattern: string | object, reason: string];

const field = (...values: unknown[]) => ({ detail: { field: values } });

const structureCases: Case[] = [
  ['a JSON string', '"aws.ec2"', 'Filter is not an object'],
  ['a JSON array', '[{"source": ["aws.ec2"]}]', 'Filter is not an object'],
  ['JSON null', 'null', 'Filter is not an object'],
  ['an empty pattern', {}, 'Empty objects are not allowed'],
  ['an empty nested object', { detail: {} }, 'Empty objects are not allowed'],
  ['a bare string instead of an array', { source: 'aws.ec2' }, '"source" must be an object or an array'],
  ['a bare number instead of an array', { detail: { count: 5 } }, '"count" must be an object or an array'],
  ['null instead of an array', { source: null }, '"source" must be an object or an array'],
  ['an empty array of values', { source: [] }, 'Empty arrays are not allowed'],
  [
    'an array nested in the values',
    { source: [['aws.ec2']] },
    'Match value must be String, number, true, false, or null',
  ],
  ['an empty match expression', field({}), 'Match expression name not found'],
  ['an unknown operator', field({ regex: '^a' }), 'Unrecognized match type regex'],
  ['an operator AWS does not have', field({ contains: 'a' }), 'Unrecognized match type contains'],
  ['two operators in one expression', field({ prefix: 'a', suffix: 'b' }), 'Only one key allowed in match expression'],
  [
    'an operator with a trailing extra key',
    field({ numeric: ['>', 1], x: 1 }),
    'Only one key allowed in match expression',
  ],
];

const stringOperatorCases: Case[] = [
  ['a numeric prefix', field({ prefix: 5 }), 'prefix match pattern must be a string'],
  ['an empty prefix object', field({ prefix: {} }), 'Prefix expression name not found'],
  [
    'prefix wrapping another operator',
    field({ prefix: { 'anything-but': 'x' } }),
    'Unsupported prefix pattern: anything-but',
  ],
  [
    'prefix ignoring case of a number',
    field({ prefix: { 'equals-ignore-case': 5 } }),
    'equals-ignore-case match pattern must be a string',
  ],
  [
    'prefix ignoring case with an extra key',
    field({ prefix: { 'equals-ignore-case': 'a', x: 1 } }),
    'Only one key allowed in match expression',
  ],
  ['a null suffix', field({ suffix: null }), 'suffix match pattern must be a string'],
  ['suffix wrapping wildcard', field({ suffix: { wildcard: 'x' } }), 'Unsupported suffix pattern: wildcard'],
  [
    'equals-ignore-case of a list',
    field({ 'equals-ignore-case': ['a'] }),
    'equals-ignore-case match pattern must be a string',
  ],
  ['a numeric wildcard', field({ wildcard: 5 }), 'wildcard match pattern must be a string'],
  ['consecutive wildcards', field({ wildcard: 'a**b' }), 'Consecutive wildcard characters at pos 2'],
  ['a backslash escaping a letter', field({ wildcard: 'a\\b' }), 'Invalid escape character at pos 2'],
  ['a trailing backslash', field({ wildcard: 'abc\\' }), 'Invalid escape character at pos 4'],
  [
    'consecutive wildcards after a two-byte character',
    field({ wildcard: 'é**' }),
    'Consecutive wildcard characters at pos 3',
  ],
  ['exists given a string', field({ exists: 'true' }), 'exists match pattern must be either true or false.'],
  ['exists given null', field({ exists: null }), 'exists match pattern must be either true or false.'],
];

const cidrCases: Case[] = [
  ['a numeric cidr', field({ cidr: 10 }), 'cidr match pattern must be a string'],
  ['an address without a mask', field({ cidr: '10.0.0.0' }), "Malformed CIDR, one '/' required"],
  ['two slashes', field({ cidr: '10.0.0.0/8/8' }), "Malformed CIDR, one '/' required"],
  ['a non-integer mask', field({ cidr: '10.0.0.0/x' }), 'Malformed CIDR, mask bits must be an integer'],
  ['a negative mask', field({ cidr: '10.0.0.0/-1' }), 'Malformed CIDR, mask bits must not be negative'],
  ['an IPv4 /32', field({ cidr: '10.0.0.1/32' }), 'IPv4 mask bits must be < 32'],
  ['an IPv6 /128', field({ cidr: '::1/128' }), 'IPv6 mask bits must be < 128'],
  ['a host name', field({ cidr: 'example.com/24' }), 'Nonstandard IP address: example.com'],
  ['an octet above 255', field({ cidr: '10.0.0.256/24' }), 'Invalid IP address: 10.0.0.256'],
  ['a short IPv6 address', field({ cidr: '1:2:3/64' }), 'Invalid IP address: 1:2:3'],
];

const numericCases: Case[] = [
  ['numeric given a string', field({ numeric: '>0' }), 'Value of numeric must be an array.'],
  ['an empty numeric array', field({ numeric: [] }), 'Invalid member in numeric match: ]'],
  ['a number where the operator belongs', field({ numeric: [5] }), 'Invalid member in numeric match: 5'],
  ['an operator without a value', field({ numeric: ['>'] }), 'Value of > must be numeric'],
  ['equals with a string', field({ numeric: ['=', '5'] }), 'Value of equals must be numeric'],
  ['equals followed by a range', field({ numeric: ['=', 5, '<', 6] }), 'Too many elements in numeric expression'],
  [
    'an upper bound before a lower bound',
    field({ numeric: ['<', 5, '>', 1] }),
    'Too many elements in numeric expression',
  ],
  ['an unknown operator', field({ numeric: ['!=', 5] }), 'Unrecognized numeric range operator: !='],
  ['a value where the second operator belongs', field({ numeric: ['>', 5, 6] }), 'Bad value in numeric range: 6'],
  ['two lower bounds', field({ numeric: ['>', 5, '>=', 6] }), 'Bad numeric range operator: >='],
  ['a string upper bound', field({ numeric: ['>', 0, '<', 'x'] }), 'Value of < must be numeric'],
  ['a fifth term', field({ numeric: ['>', 0, '<', 5, 6] }), 'Too many terms in numeric range expression'],
  ['a lower bound above the upper bound', field({ numeric: ['>', 5, '<', 1] }), 'Bottom must be less than top'],
  ['an empty range', field({ numeric: ['>=', 5, '<=', 5] }), 'Bottom must be less than top'],
  ['a bound above 5.0e9', field({ numeric: ['>', 5000000001] }), 'Value must be between -5.0E9 and 5.0E9, inclusive'],
  [
    'a bound below -5.0e9',
    field({ numeric: ['>', -6e9, '<', 0] }),
    'Value must be between -5.0E9 and 5.0E9, inclusive',
  ],
  ['seven decimals', field({ numeric: ['=', 0.1234567] }), 'Only values upto 6 decimals are supported'],
];

const anythingButCases: Case[] = [
  [
    'anything-but null',
    field({ 'anything-but': null }),
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    'anything-but a boolean',
    field({ 'anything-but': true }),
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    'an empty anything-but list',
    field({ 'anything-but': [] }),
    'Inside anything but list, either all values are number or string, mixed type is not supported',
  ],
  [
    'a mixed anything-but list',
    field({ 'anything-but': ['a', 1] }),
    'Inside anything but list, either all values are number or string, mixed type is not supported',
  ],
  [
    'null inside an anything-but list',
    field({ 'anything-but': ['a', null] }),
    'Inside anything but list, start|null|boolean is not supported.',
  ],
  [
    'a list of prefixes inside anything-but',
    field({ 'anything-but': [{ prefix: 'a' }] }),
    'Inside anything but list, start|null|boolean is not supported.',
  ],
  [
    'an over-precise number to exclude',
    field({ 'anything-but': [0.1234567] }),
    'Only values upto 6 decimals are supported',
  ],
  [
    'an out-of-range number to exclude',
    field({ 'anything-but': 6e9 }),
    'Value must be between -5.0E9 and 5.0E9, inclusive',
  ],
  ['an empty anything-but object', field({ 'anything-but': {} }), 'Anything-But expression name not found'],
  ['anything-but exists', field({ 'anything-but': { exists: true } }), 'Unsupported anything-but pattern: exists'],
  [
    'anything-but numeric',
    field({ 'anything-but': { numeric: ['>', 1] } }),
    'Unsupported anything-but pattern: numeric',
  ],
  ['an empty prefix to exclude', field({ 'anything-but': { prefix: '' } }), 'Null prefix/suffix not allowed'],
  ['an empty suffix in a list', field({ 'anything-but': { suffix: ['a', ''] } }), 'Null prefix/suffix not allowed'],
  [
    'a numeric prefix to exclude',
    field({ 'anything-but': { prefix: 5 } }),
    'prefix/suffix match pattern must be a string',
  ],
  [
    'a boolean prefix to exclude',
    field({ 'anything-but': { prefix: true } }),
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    'a number to exclude ignoring case',
    field({ 'anything-but': { 'equals-ignore-case': 5 } }),
    'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  ],
  [
    'a number in a list to exclude ignoring case',
    field({ 'anything-but': { 'equals-ignore-case': ['a', 1] } }),
    'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  ],
  [
    'a numeric wildcard to exclude',
    field({ 'anything-but': { wildcard: 5 } }),
    'wildcard match pattern must be a string',
  ],
  [
    'consecutive wildcards to exclude',
    field({ 'anything-but': { wildcard: 'a**' } }),
    'Consecutive wildcard characters at pos 2',
  ],
  [
    'two operators inside anything-but',
    field({ 'anything-but': { prefix: 'a', suffix: 'b' } }),
    'Only one key allowed in match expression',
  ],
];

const orCases: Case[] = [
  ['$or given an object', { $or: { a: [1] } }, 'It must be an Array followed with $or.'],
  ['an empty $or', { $or: [] }, 'There must have at least 2 Objects in $or relationship.'],
  ['a single alternative', { $or: [{ a: [1] }] }, 'There must have at least 2 Objects in $or relationship.'],
  ['a string alternative', { $or: [{ a: [1] }, 'b'] }, 'Only JSON object is allowed in array of $or relationship.'],
  ['an empty alternative', { $or: [{ a: [1] }, {}] }, 'Empty objects are not allowed'],
  [
    'an operator used as a field inside $or',
    { $or: [{ numeric: [1] }, { a: [1] }] },
    'numeric is Ruler reserved fieldName which cannot be used inside $or.',
  ],
  [
    'an operator nested as a field inside $or',
    { $or: [{ a: { prefix: ['x'] } }, { b: [1] }] },
    'prefix is Ruler reserved fieldName which cannot be used inside $or.',
  ],
];

describe.each([
  ['pattern structure', structureCases],
  ['string operators and exists', stringOperatorCases],
  ['cidr', cidrCases],
  ['numeric', numericCases],
  ['anything-but', anythingButCases],
  ['$or', orCases],
])('invalid patterns: %s', (_topic, cases) => {
  it.each(cases)('rejects %s', (_description, pattern, reason) => {
    expect(rejectionReason(pattern)).toBe(reason);
  });
});

describe('invalid pattern text', () => {
  it('rejects text that is not JSON with the parser message', () => {
    expect(rejectionReason('{"source": [')).toMatch(/^Malformed JSON: /);
  });

  it('rejects a pattern object holding undefined as a field value', () => {
    expect(rejectionReason({ source: undefined })).toBe('"source" must be an object or an array');
  });
});
