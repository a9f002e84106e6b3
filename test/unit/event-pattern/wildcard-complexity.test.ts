import { describe, expect, it } from 'vitest';
import { compileEventPattern } from '../../../shared/domain/event-pattern';
import { compileBranches } from '../../../shared/domain/event-pattern/compile-branches';
import {
  evaluatePatternComplexity,
  MAX_WILDCARD_COMPLEXITY,
  TOO_COMPLEX_REASON,
} from '../../../shared/domain/event-pattern/pattern-complexity';
import { parseWildcard } from '../../../shared/domain/event-pattern/wildcard';
import { measureWildcardComplexity, toWildcardTokens } from '../../../shared/domain/event-pattern/wildcard-complexity';
import { rejectionReason } from './pattern-test-kit';

/** Complexity of bare (unquoted) wildcard texts in one machine, as event-ruler's own ByteMachine tests add them. */
const bareComplexity = (...texts: string[]): number =>
  measureWildcardComplexity(
    [...new Set(texts)].map((text) => toWildcardTokens(parseWildcard(text).literals)),
    100,
  );

const patternComplexity = (pattern: Record<string, unknown>): number =>
  evaluatePatternComplexity(compileBranches(pattern));

const wildcards = (...texts: string[]) => texts.map((wildcard) => ({ wildcard }));
const objectKeys = (...texts: string[]) => ({ detail: { object: { key: wildcards(...texts) } } });
const stackIds = (count: number) => ({
  detail: {
    'stack-id': wildcards(
      ...['SharedStack', 'TrackerStack', 'DriverStack', 'WorkerStack'].slice(0, count).map((n) => `*:stack/${n}/*`),
    ),
  },
});

// Expected values are the ones event-ruler's MachineComplexityEvaluatorTest asserts for the same patterns.
const EVENT_RULER_CASES: ReadonlyArray<readonly [number, readonly string[]]> = [
  [1, ['*']],
  [3, ['*', 'ab*c']],
  [1, ['abc']],
  [2, ['*ab']],
  [3, ['*aa']],
  [2, ['a*b']],
  [2, ['aa*']],
  [3, ['a*bb']],
  [3, ['a*bcb']],
  [4, ['a*bbb']],
  [4, ['*ab*ad']],
  [3, ['*ab*d']],
  [4, ['*aba*']],
  [5, ['a*b*bb']],
  [4, ['a*b*cb']],
  [3, ['a*b*cd']],
  [3, ['ab*b*']],
  [3, ['ab*c', 'x*xx']],
  [4, ['*abc', '*abcde']],
  [7, ['a*aaa', 'aa*aa']],
  [6, ['a*aaa', 'aaa*a']],
  [5, ['a*aax', 'aaa*x']],
  [3, ['abc*', 'abcde*']],
  [6, ['ab*cd', 'ab*wx', 'ab*yz']],
  [7, ['*ab*b*b*']],
  [17, ['*a*a*a*a*a*a*a*a*']],
  [2, ['ab*c', 'ab*c']],
  [10, ['F*eatureFeature', 'Fe*atureFeature', 'Fea*tureFeature']],
  [
    45,
    (
      'aahed* aal*ii aargh* aarti* a*baca *abaci a*back ab*acs abaf*t *abaka ab*amp a*band *abase abash* abas*k ' +
      'ab*ate aba*ya abbas* abbed* ab*bes abbey* *abbot ab*cee abea*m abe*ar a*bele a*bers abet*s *abhor abi*de ' +
      'a*bies *abled'
    ).split(' '),
  ],
];

describe('wildcard complexity, as event-ruler measures it', () => {
  it.each(EVENT_RULER_CASES)('counts %i live rule prefixes for %j', (expected, texts) => {
    const complexity = bareComplexity(...texts);

    expect(complexity).toBe(expected);
  });

  it('gives up past the limit quickly, even on a 140,000-character wildcard', () => {
    const started = performance.now();

    const complexity = bareComplexity('F*e*a*t*u*r*e*'.repeat(10_000));

    expect(complexity).toBeGreaterThan(100);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('measures patterns on the quoted value, and across fields through the next name states', () => {
    const pattern = {
      abc: [{ prefix: 'a' }, 'abcdef', { suffix: 'z' }],
      def: [{ prefix: 'b' }, { wildcard: 'a*a*a*a*a*a*' }, { suffix: 'c' }],
      ghi: [{ prefix: 'a' }, 'abcdef', { suffix: 'z' }],
    };

    const complexity = patternComplexity(pattern);

    expect(complexity).toBe(11);
  });
});

describe('compiling wildcard patterns', () => {
  it.each([
    ['one file extension', { detail: { key: wildcards('*.png') } }],
    ['a path with two wildcards', { detail: { path: [{ wildcard: '*/lib/*' }] } }],
    ['four extensions on one field (complexity 8)', objectKeys('*.bif', '*.tiff', '*.tif', '*.svs')],
    ['two folder-and-extension wildcards (complexity 8)', objectKeys('*/datasync/*.bif', '*/datasync/*.tif')],
    ['three stack-id wildcards (complexity 9)', stackIds(3)],
    ['an anything-but wildcard', { detail: { path: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }],
    ['complex wildcards spread over separate fields', { a: wildcards('*x*x*x*'), b: wildcards('*x*x*x*') }],
  ])('accepts %s, as AWS does', (_, pattern) => {
    const compile = () => compileEventPattern(pattern);

    expect(compile).not.toThrow();
  });

  it.each([
    [
      'four folder-and-extension wildcards on one field',
      objectKeys(...['bif', 'tif', 'tiff', 'svs'].map((e) => `*/datasync/*.${e}`)),
    ],
    ['four stack-id wildcards', stackIds(4)],
    ['many wildcards over a repeated character', { detail: { name: wildcards('*a*a*a*a*a*') } }],
    ['a character repeated ten times after a wildcard', { detail: { name: wildcards('x*aaaaaaaaaa') } }],
    ['the same wildcards in anything-but', { detail: { name: [{ 'anything-but': { wildcard: ['*a*a*a*a*a*'] } }] } }],
  ])('refuses %s as too complex, with the reason AWS gives', (_, pattern) => {
    const reason = rejectionReason(pattern);

    expect(reason).toBe(TOO_COMPLEX_REASON);
  });

  it('adds up wildcards that $or alternatives put on the same field', () => {
    const alone = { name: wildcards('*a*a*a*') };
    const pattern = { $or: [alone, { name: wildcards('*a*a*b*') }] };

    expect(patternComplexity(alone)).toBeLessThanOrEqual(MAX_WILDCARD_COMPLEXITY);
    expect(rejectionReason(pattern)).toBe(TOO_COMPLEX_REASON);
  });

  it('keeps apart wildcards that $or alternatives reach through different earlier values', () => {
    const pattern = {
      $or: [
        { kind: ['a'], name: wildcards('*a*a*a*') },
        { kind: ['b'], name: wildcards('*a*a*b*') },
      ],
    };

    const compile = () => compileEventPattern(pattern);

    expect(compile).not.toThrow();
  });

  it('like event-ruler, does not evaluate a field reached only through exists:false', () => {
    const behindAbsence = { a: [{ exists: false }], b: wildcards('*a*a*a*a*a*') };
    const behindValue = { a: ['x'], b: wildcards('*a*a*a*a*a*') };

    const compile = () => compileEventPattern(behindAbsence);

    expect(compile).not.toThrow();
    expect(rejectionReason(behindValue)).toBe(TOO_COMPLEX_REASON);
  });
});
