import * as v from 'valibot'
import { dayOf, type Day } from './calendar'
// Hybrid logical clock. A stamp orders "who came first" across devices whose wall
// clocks disagree: it never goes backwards, and it moves past every stamp this
// device has seen from others. Stamps are strings that sort in HLC order, with the
// device id as the last part, so ties between devices break the same way everywhere.

export type Stamp = string

export interface ClockState {
  wallMs: number
  counter: number
}

const WALL_WIDTH = 11 // base-36 digits: enough for ms timestamps until the year 5000+
const COUNTER_WIDTH = 5

export function formatStamp(wallMs: number, counter: number, deviceId: string): Stamp {
  return `${wallMs.toString(36).padStart(WALL_WIDTH, '0')}-${counter
    .toString(36)
    .padStart(COUNTER_WIDTH, '0')}-${deviceId}`
}

export interface ParsedStamp {
  wallMs: number
  counter: number
  deviceId: string
}

const STAMP_PATTERN = /^([0-9a-z]{11})-([0-9a-z]{5})-([A-Za-z0-9_]{1,64})$/

export function parseStamp(stamp: string): ParsedStamp | null {
  const match = STAMP_PATTERN.exec(stamp)
  if (!match) return null
  return {
    wallMs: parseInt(match[1]!, 36),
    counter: parseInt(match[2]!, 36),
    deviceId: match[3]!,
  }
}

export function isStamp(value: unknown): value is Stamp {
  // (A test, not a parse: every record read checks its stamps.)
  return typeof value === 'string' && STAMP_PATTERN.test(value)
}

/** A stamp field in a record's schema: a record whose stamp is not one is skipped. */
export const StampSchema = v.custom<Stamp>(isStamp, 'not an HLC stamp')

/** Earlier stamp first; equal wall time and counter fall back to the device id. */
export function compareStamps(a: Stamp, b: Stamp): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * How far ahead of this device's wall clock a peer's stamp may be and still move it.
 * Phones disagree by minutes; a stamp a day ahead is a wrong clock or a forged
 * record, and taking it in would move every device's clock (and order) for good.
 */
export const MAX_DRIFT_MS = 24 * 60 * 60 * 1000

export class HybridClock {
  private state: ClockState = { wallMs: 0, counter: 0 }
  /** Stamps seen too far ahead to take in, for Diagnostics (a record keeps its stamp and place in order). */
  private readonly tooFarAhead = new Set<Stamp>()
  /** The newest stamp taken in; an older one cannot move the clock (stamps sort as strings). */
  private newestReceived = ''

  constructor(
    readonly deviceId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new stamp for something this device does now. */
  tick(): Stamp {
    const wall = this.now()
    if (wall > this.state.wallMs) {
      this.state = { wallMs: wall, counter: 0 }
    } else {
      this.state = { wallMs: this.state.wallMs, counter: this.state.counter + 1 }
    }
    return formatStamp(this.state.wallMs, this.state.counter, this.deviceId)
  }

  /** Take in a stamp seen from another device, so our next stamp comes after it. */
  receive(stamp: Stamp): void {
    // A phone opening a month takes in thousands of stamps; most are older than one already seen.
    if (stamp <= this.newestReceived) return
    const remote = parseStamp(stamp)
    if (!remote) return
    const wall = this.now()
    if (remote.wallMs > wall + MAX_DRIFT_MS) {
      if (this.tooFarAhead.size < 10_000) this.tooFarAhead.add(stamp)
      return
    }
    this.newestReceived = stamp
    const maxWall = Math.max(wall, this.state.wallMs, remote.wallMs)
    let counter: number
    if (maxWall === this.state.wallMs && maxWall === remote.wallMs) {
      counter = Math.max(this.state.counter, remote.counter) + 1
    } else if (maxWall === this.state.wallMs) {
      counter = this.state.counter + 1
    } else if (maxWall === remote.wallMs) {
      counter = remote.counter + 1
    } else {
      counter = 0
    }
    this.state = { wallMs: maxWall, counter }
  }

  /** How many different stamps were too far ahead to take in. */
  get stampsTooFarAhead(): number {
    return this.tooFarAhead.size
  }

  get current(): ClockState {
    return { ...this.state }
  }
}

/** The local day a stamp was made on. */
export const stampDay = (stamp: string): Day => dayOf(new Date(parseStamp(stamp)?.wallMs ?? 0))
