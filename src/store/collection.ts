import type * as Y from 'yjs'
import * as v from 'valibot'
import { firstPart, type SpaceDocs, type SpaceMap } from './space-docs'
import type { HybridClock } from '../domain/hlc'
import type { Actor } from '../domain/actor'

// A collection is a map from id to a plain object (a SpaceMap, spread over docs by
// month). Anything may arrive from a peer (an old version, a buggy device, a hostile
// one), so every record is checked against its schema on the way out; a record that
// fails is skipped and counted, and the screen shows the rest.

export type RecordSchema<T> = v.GenericSchema<unknown, T>

export interface Keyed {
  /** The record's own id must match the key it is stored under. */
  id?: string
  deviceId?: string
}

/**
 * No text the app writes is longer than 1,000 characters (a notice's body, a
 * description), nor a list longer than a round's stops. A peer's record with a far
 * longer string or list is skipped before its schema is even tried, so no screen lays
 * out a 200,000-character name.
 */
const LONGEST_TEXT = 2_000
const LONGEST_LIST = 2_000
const DEEPEST = 6

function withinBounds(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.length <= LONGEST_TEXT
  if (value === null || typeof value !== 'object') return true
  // Bytes (a record's signature) are one value, not a list to walk.
  if (ArrayBuffer.isView(value)) return value.byteLength <= LONGEST_TEXT
  if (depth >= DEEPEST) return false
  const items = Array.isArray(value) ? value : Object.values(value)
  return items.length <= LONGEST_LIST && items.every((item) => withinBounds(item, depth + 1))
}

export function readRecord<T>(schema: RecordSchema<T>, key: string, raw: unknown): T | null {
  if (!withinBounds(raw)) return null
  const parsed = v.safeParse(schema, raw)
  if (!parsed.success) return null
  const record = parsed.output as T & Keyed
  const ownKey = record.id ?? record.deviceId
  if (ownKey !== undefined && ownKey !== key) return null
  return record
}

export interface CollectionSnapshot<T> {
  records: Map<string, T>
  skipped: Set<string>
}

export function readCollection<T>(map: SpaceMap, schema: RecordSchema<T>): CollectionSnapshot<T> {
  const records = new Map<string, T>()
  const skipped = new Set<string>()
  map.forEach((raw, key) => {
    const record = readRecord(schema, key, raw)
    if (record === null) skipped.add(key)
    else records.set(key, record)
  })
  return { records, skipped }
}

/** The valid records whose keys start with a prefix such as "<record id>|": only those are read. */
export function readByPrefix<T>(spaceMap: SpaceMap, schema: RecordSchema<T>, prefix: string): T[] {
  const map = spaceMap.shardOf(prefix)
  if (!map) return []
  const candidates = new Set(spaceMap.keysOfGroup(map, firstPart(prefix)))
  // Keys written in the transaction still running are not in the index yet.
  map.doc?._transaction?.changed.get(map as Y.AbstractType<any>)?.forEach((key) => key !== null && candidates.add(key))
  const found: T[] = []
  for (const key of candidates) {
    if (!key.startsWith(prefix)) continue
    const value = spaceMap.readFrom(map, key)
    const record = value === undefined ? null : readRecord(schema, key, value)
    if (record !== null) found.push(record)
  }
  return found
}

/**
 * What a feature's bound commands write with: the space's docs, this device's clock
 * and the person acting. The session binds each feature's commands to one Writer, so
 * screens call `shifts.signUp(id)` and never see a doc or a clock.
 */
export interface Writer {
  docs: SpaceDocs
  clock: HybridClock
  actor: () => Actor
}
