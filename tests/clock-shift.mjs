// Preloaded (node --import) into a process the browser tests start, such as the hub, when
// NEIGHBOURS_TEST_DATE is set: its Date agrees with the pages' clocks (see tests/dates.ts).
const chosen = process.env.NEIGHBOURS_TEST_DATE
if (chosen) {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(chosen) ? `${chosen}T10:00:00` : chosen
  // The browser tests pass the instant their own clock started at, so all agree to the ms.
  const start = Number(process.env.NEIGHBOURS_TEST_NOW) || new Date(at).getTime()
  const offset = start - Date.now()
  const RealDate = Date
  globalThis.Date = class extends RealDate {
    static shifted = true
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset)
      else super(...args)
    }
    static now() {
      return RealDate.now() + offset
    }
  }
}
