import type { SpaceMap } from './space-docs'
import type { HybridClock } from '../domain/hlc'
import { allocatePlaces, entryKey, hasRoom, PlaceEntrySchema, type PlaceEntry } from '../domain/places'
import type { Checked } from '../domain/validation'
import { readByPrefix, readRecord } from './collection'

import type { Person } from '../domain/actor'
export type { Person }

export const entriesOf = (map: SpaceMap, recordId: string): PlaceEntry[] => readByPrefix(map, PlaceEntrySchema, `${recordId}|`)

/**
 * Joins the line for a record (or does nothing if already in it). Works offline:
 * the entry notes whether this device saw a free place, for the bumped/promoted
 * notices after a merge. `entries` is the line as it stands, where places change
 * hands (shifts); otherwise the stored entries are the line.
 */
export function joinLine(
  map: SpaceMap,
  clock: HybridClock,
  recordId: string,
  places: number | null,
  person: Person,
  by: Person,
  entries: readonly PlaceEntry[] = entriesOf(map, recordId),
): Checked<PlaceEntry> {
  const existing = entries.find((e) => e.personId === person.id)
  if (existing?.active) return { ok: true, value: existing }
  const key = entryKey(recordId, person.id)
  // What this entry is written over (left, or given away), so what happened then still counts.
  const before = readRecord(PlaceEntrySchema, key, map.get(key))
  if (before) clock.receive(before.updatedAt)
  const stamp = clock.tick()
  const entry: PlaceEntry = {
    id: key,
    recordId,
    personId: person.id,
    personName: person.name,
    stamp,
    active: true,
    updatedAt: stamp,
    byId: by.id,
    byName: by.name,
    sawPlace: hasRoom(allocatePlaces(entries, places, false)),
    ...(before ? { previous: { stamp: before.stamp, until: before.active ? null : before.updatedAt } } : {}),
  }
  map.put(key, entry)
  return { ok: true, value: entry }
}

/** Leaves the line; the first one waiting moves up, by the same derived rule. */
export function leaveLine(map: SpaceMap, clock: HybridClock, recordId: string, personId: string, by: Person): Checked<PlaceEntry> {
  const key = entryKey(recordId, personId)
  const existing = readRecord(PlaceEntrySchema, key, map.get(key))
  if (!existing || !existing.active) return { ok: false, problems: { entry: 'problem.notSignedUp' } }
  const left: PlaceEntry = { ...existing, active: false, updatedAt: clock.tick(), byId: by.id, byName: by.name }
  map.put(key, left)
  return { ok: true, value: left }
}
