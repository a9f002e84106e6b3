import fc from 'fast-check';

/** One step of a scenario; `pick` chooses among the writes in flight, modulo how many there are. */
export type Action =
  | { kind: 'tick'; ms: number }
  /** A successor waiting for the takeover moment on its own clock, as it would after a `held` answer. */
  | { kind: 'await-expiry'; contender: number; region: number; extraMs: number }
  /** `paused`: the contender stalls between its read and its writes, which go out at its next `send`. */
  | { kind: 'acquire'; contender: number; answering: boolean[]; paused: boolean }
  | { kind: 'send'; contender: number }
  | { kind: 'renew'; contender: number }
  | { kind: 'deliver'; pick: number; ackLost: boolean }
  /** Delivers, with their acks, the writes of a contender's latest round, overtaking any older ones in flight. */
  | { kind: 'deliver-round'; contender: number; regions: boolean[] }
  | { kind: 'drop'; pick: number }
  | { kind: 'crash'; contender: number }
  | { kind: 'store'; region: number; up: boolean }
  | { kind: 'skew'; region: number; offset: number };

export interface Scenario {
  regions: number;
  contenders: number;
  offsets: number[];
  actions: Action[];
}

/** Scenarios over N ∈ {3, 5} regions, two or three contenders, clocks within ±skewBound of real time. */
export const scenarios = (skewBound: number): fc.Arbitrary<Scenario> =>
  fc
    .record({ regions: fc.constantFrom(3, 5), contenders: fc.integer({ min: 2, max: 3 }) })
    .chain(({ regions, contenders }) => {
      const contender = fc.integer({ min: 0, max: contenders - 1 });
      const region = fc.integer({ min: 0, max: regions - 1 });
      // Clocks at the edges of the allowed skew are the adversarial case, so they come up often.
      const offset = fc.oneof(fc.constantFrom(-skewBound, skewBound), fc.integer({ min: -skewBound, max: skewBound }));
      // Mostly-healthy choices, so that scenarios get far enough to take over, with faults often enough to matter.
      const mostly = (odds: number) => fc.integer({ min: 0, max: odds }).map((n) => n > 0);
      const action: fc.Arbitrary<Action> = fc.oneof(
        { weight: 6, arbitrary: fc.record({ kind: fc.constant('tick'), ms: fc.integer({ min: 0, max: 900 }) }) },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant('await-expiry'),
            contender,
            region,
            extraMs: fc.integer({ min: 0, max: 50 }),
          }),
        },
        {
          weight: 4,
          arbitrary: fc.record({
            kind: fc.constant('acquire'),
            contender,
            answering: fc.array(mostly(3), { minLength: regions, maxLength: regions }),
            paused: mostly(3).map((healthy) => !healthy),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('send'), contender }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('renew'), contender }) },
        {
          weight: 8,
          arbitrary: fc.record({ kind: fc.constant('deliver'), pick: fc.nat(), ackLost: mostly(5).map((ok) => !ok) }),
        },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop'), pick: fc.nat() }) },
        {
          weight: 4,
          arbitrary: fc.record({
            kind: fc.constant('deliver-round'),
            contender,
            regions: fc.array(mostly(3), { minLength: regions, maxLength: regions }),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash'), contender }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('store'), region, up: mostly(2) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('skew'), region, offset }) },
      );
      return fc.record({
        regions: fc.constant(regions),
        contenders: fc.constant(contenders),
        offsets: fc.array(offset, { minLength: regions, maxLength: regions }),
        actions: fc.array(action, { minLength: 1, maxLength: 150, size: 'max' }),
      });
    });
