import type { Meal, SealedOrder } from '../src/domain/canteen'

// For tests and the benchmark that make many orders at once, synchronously: a tag and a
// sealed part of the real shape and about the real size, made without the slow key
// (trust/orders.ts makes the real ones; tests/unit/canteen.test.ts goes through them).

/** A stand-in tag: 22 characters from a hash of the code and meal (never the code itself). */
export function fakeTag(code: string, meal: Meal): string {
  let h = 2166136261
  for (const c of `${code}|${meal}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0
  return `t${h.toString(36)}`.padEnd(22, 'x')
}

const b = (n: number) => 'A'.repeat(n)
export const FAKE_SEALED: SealedOrder = { staff: { to: b(43), from: b(43), iv: b(16), box: b(110) }, own: { iv: b(16), box: b(60) } }
