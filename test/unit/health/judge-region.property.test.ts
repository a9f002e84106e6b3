import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge, type Judgement } from '../../../shared/domain/health';
import { observe, settings } from './health-test-kit';

type Tick = { letter: string; fenced: boolean };

const anyTick = fc.record({ letter: fc.constantFrom('o', 'x', 's', 'n', 'd', 't'), fenced: fc.boolean() });
const history = fc.array(anyTick, { maxLength: 30 });
const missLetter = fc.constantFrom('x', 's', 'n', 'd');

/** Judges every tick after `start`, returning the judgements in order. */
const judgeTicks = (ticks: readonly Tick[], start?: Judgement, firstTick = 0): Judgement[] => {
  const judgements: Judgement[] = [];
  ticks.forEach(({ letter, fenced }, index) => {
    judgements.push(judge(judgements.at(-1) ?? start, observe(letter, firstTick + index), settings, fenced));
  });
  return judgements;
};

const missCount = (judgement: Judgement): number => judgement.history.filter((ok) => !ok).length;

describe('judge properties', () => {
  it('once ticks alternate ok and miss, changes state at most once per recoverAfterOks ticks, from any history', () => {
    fc.assert(
      fc.property(history, missLetter, fc.boolean(), fc.integer({ min: 2, max: 30 }), (prefix, miss, missFirst, n) => {
        // Prepare
        const start = judgeTicks(prefix).at(-1);
        const alternating = Array.from({ length: n }, (_, i) => ({
          letter: (i % 2 === 0) === missFirst ? miss : 'o',
          fenced: false,
        }));

        // Act
        const states = judgeTicks(alternating, start, prefix.length).map((judgement) => judgement.state);

        // Assess: the first alternating tick may finish what the history started (a third ok in a row),
        // so changes are counted from there on
        const changes = states.flatMap((state, i) => (i > 0 && state !== states[i - 1] ? [i] : []));
        changes.slice(1).forEach((tick, i) => {
          expect(tick - (changes[i] ?? 0)).toBeGreaterThanOrEqual(settings.recoverAfterOks);
        });
      }),
      { numRuns: 3_000 },
    );
  });

  it('turns a region failed only with failAfterMisses misses in its window, and fences whenever the flag is set', () => {
    fc.assert(
      fc.property(history, history, (first, second) => {
        // Act
        const ticks = [...first, ...second];
        const judgements = judgeTicks(ticks);

        // Assess
        judgements.forEach((judgement, i) => {
          if (ticks[i]?.fenced) expect(judgement.state).toBe('fenced');
          else if (judgement.state === 'failed' && judgements[i - 1]?.state !== 'failed') {
            expect(missCount(judgement)).toBeGreaterThanOrEqual(settings.failAfterMisses);
          }
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('never fails an unfenced region on a tick that is not a miss, even with a target bus failing', () => {
    fc.assert(
      fc.property(history, fc.constantFrom('o', 't'), (prefix, letter) => {
        // Prepare
        const previous = judgeTicks(prefix).at(-1);
        if (previous?.state === 'failed' || previous?.state === 'fenced') return;

        // Act
        const next = judge(previous, observe(letter, prefix.length), settings, false);

        // Assess
        expect(next.state).not.toBe('failed');
      }),
      { numRuns: 2_000 },
    );
  });
});
