/**
 * Replaces `globalThis.Date` with one whose current time is real time plus the skew held in
 * `skew[0]` (ms), read on every call so a change applies at once. Only "now" moves: `new Date(x)`,
 * `Date.UTC`, `Date.parse` and `instanceof Date` behave as before, and timers and
 * `performance.now()` are untouched. Returns the real Date, for the runtime's own deadlines.
 */
export const installSkewedDate = (skew: Int32Array): DateConstructor => {
  const RealDate = Date;
  const now = (): number => RealDate.now() + Atomics.load(skew, 0);
  // A Proxy keeps every static and `prototype`, so `instanceof` and subclasses work unchanged.
  const SkewedDate = new Proxy(RealDate, {
    construct: (target, args: unknown[], newTarget: new (...a: unknown[]) => object) =>
      Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget) as object,
    // `Date()` called without `new` returns the current time as a string, ignoring its arguments.
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
  });
  Object.defineProperty(RealDate.prototype, 'constructor', {
    value: SkewedDate,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  globalThis.Date = SkewedDate;
  return RealDate;
};
