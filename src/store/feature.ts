import type { HybridClock } from '../domain/hlc'
import type { Writer } from './collection'
import type { ShownMonths } from './reactive'
import type { SpaceDocs } from './space-docs'
import type { Sealer } from './concerns'

// What a feature gives the session, declared once in its store module: the live data
// its screens read, the commands anyone may use, and what only a device holding the
// staff space reads and may do. The session (session/features.ts) loops over the list
// of features; it names none of them.

/** What a feature's live data is read from. */
export interface LiveContext {
  pub: SpaceDocs
  /** Null on a device that does not hold the staff space. */
  staff: SpaceDocs | null
  clock: HybridClock
  /** The months each feature's screens show (a screen that shows another month adds it). */
  shown: Shown
}

/** The months screens show, for the features filed by month. */
export interface Shown {
  shifts: ShownMonths
  activities: ShownMonths
  canteen: ShownMonths
  visits: ShownMonths
}

/** What a feature's commands are bound to: each space's writer, and who may do what. */
export interface CommandContext {
  pub: Writer
  /** Null on a device that does not hold the staff space. */
  staff: Writer | null
  community: string
  isStaff(id: string): boolean
  /** A 代办员 staff appointed (and who has not stood down). */
  isAgent(id: string): boolean
  /** Seals a private concern's words and notes (session/private.ts). */
  sealer: Sealer
}

export interface Feature {
  live?(ctx: LiveContext): object
  /** Only on a device that holds the staff space. */
  staffLive?(ctx: LiveContext & { staff: SpaceDocs }): object
  commands?(ctx: CommandContext): object
  /** Only on a device that holds the staff space, so a screen cannot reach them without it. */
  staffCommands?(ctx: CommandContext & { staff: Writer }): object
}

/** Declares a feature, keeping the exact shape of what it gives (the session's types derive from it). */
export const feature = <F extends Feature>(declared: F): F => declared
