import { describe, expect, it } from 'vitest'
import { compareStamps, formatStamp, HybridClock, isStamp, parseStamp } from '../../src/domain/hlc'

describe('hybrid logical clock', () => {
  it('formats and parses a stamp', () => {
    const stamp = formatStamp(1_700_000_000_123, 7, 'abc123')
    expect(parseStamp(stamp)).toEqual({ wallMs: 1_700_000_000_123, counter: 7, deviceId: 'abc123' })
    expect(isStamp(stamp)).toBe(true)
    expect(isStamp('nonsense')).toBe(false)
    expect(isStamp(42)).toBe(false)
  })

  it('never goes backwards, even when the wall clock does', () => {
    let wall = 1000
    const clock = new HybridClock('dev', () => wall)
    const a = clock.tick()
    wall = 500 // the phone's clock was set back
    const b = clock.tick()
    const c = clock.tick()
    expect(compareStamps(a, b)).toBeLessThan(0)
    expect(compareStamps(b, c)).toBeLessThan(0)
    expect(parseStamp(c)).toMatchObject({ wallMs: 1000, counter: 2 })
  })

  it('moves past every stamp it receives, even from a clock far ahead', () => {
    const clock = new HybridClock('slow', () => 1000)
    const remote = formatStamp(9_000, 3, 'fast')
    clock.receive(remote)
    const next = clock.tick()
    expect(compareStamps(remote, next)).toBeLessThan(0)
    expect(parseStamp(next)).toMatchObject({ wallMs: 9000 })
  })

  it('an older stamp after a newer one leaves the clock where it was, and still ahead of both', () => {
    const clock = new HybridClock('dev', () => 1000)
    const newer = formatStamp(9_000, 3, 'a')
    clock.receive(newer)
    const before = clock.current
    clock.receive(formatStamp(5_000, 7, 'b'))
    expect(clock.current).toEqual(before)
    expect(compareStamps(newer, clock.tick())).toBeLessThan(0)
  })

  it('ignores a malformed stamp from a peer', () => {
    const clock = new HybridClock('dev', () => 1000)
    clock.receive('zzzz')
    expect(parseStamp(clock.tick())).toMatchObject({ wallMs: 1000, counter: 0 })
  })

  it('orders by time, then counter, then device id', () => {
    const stamps = [formatStamp(2, 0, 'a'), formatStamp(1, 1, 'a'), formatStamp(1, 0, 'b'), formatStamp(1, 0, 'a'), formatStamp(10, 0, 'a')]
    expect([...stamps].sort(compareStamps)).toEqual([
      formatStamp(1, 0, 'a'),
      formatStamp(1, 0, 'b'),
      formatStamp(1, 1, 'a'),
      formatStamp(2, 0, 'a'),
      formatStamp(10, 0, 'a'),
    ])
  })

  it('string order equals numeric order across digit-count changes', () => {
    // 35 → 36 changes a base-36 number from one digit to two; padding must hide that.
    expect(compareStamps(formatStamp(35, 0, 'a'), formatStamp(36, 0, 'a'))).toBeLessThan(0)
    expect(compareStamps(formatStamp(1, 35, 'a'), formatStamp(1, 36, 'a'))).toBeLessThan(0)
  })
})

describe('a bounded clock', () => {
  const day = 24 * 60 * 60 * 1000
  it('does not take in a stamp more than a day ahead of its wall clock, and counts it once', () => {
    const now = 1_800_000_000_000
    const clock = new HybridClock('dev', () => now)
    const from2099 = formatStamp(4_070_908_800_000, 0, 'forged')
    clock.receive(from2099)
    clock.receive(from2099) // read again when a screen re-reads the record
    expect(clock.stampsTooFarAhead).toBe(1)
    expect(parseStamp(clock.tick())).toMatchObject({ wallMs: now, counter: 0 })
    // The far stamp still sorts after what this device does now: the record keeps its place.
    expect(compareStamps(clock.tick(), from2099)).toBeLessThan(0)
  })

  it('still takes in a stamp up to a day ahead, and later ones after a refused one', () => {
    const now = 1_800_000_000_000
    const clock = new HybridClock('dev', () => now)
    clock.receive(formatStamp(now + 2 * day, 0, 'far'))
    const nearlyADay = formatStamp(now + day - 1000, 4, 'skewed')
    clock.receive(nearlyADay)
    expect(clock.stampsTooFarAhead).toBe(1)
    expect(compareStamps(nearlyADay, clock.tick())).toBeLessThan(0)
  })
})
