import { clockOffsetMs } from './dates'

// With NEIGHBOURS_TEST_DATE set (npm run test:dates), the unit tests run as if it were
// that day: every `new Date()` and `Date.now()` in the app's code and the tests' is
// moved by the same offset, and time still flows (timers are left alone).
if (clockOffsetMs !== 0 && !(Date as unknown as { shifted?: boolean }).shifted) {
  const RealDate = Date
  const offset = clockOffsetMs
  class ShiftedDate extends RealDate {
    static shifted = true
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset)
      else super(...(args as [number]))
    }
    static override now() {
      return RealDate.now() + offset
    }
  }
  globalThis.Date = ShiftedDate as unknown as DateConstructor
}
