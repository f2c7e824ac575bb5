import * as v from 'valibot'
import { IdSchema } from './ids'
import { firstCome } from './firstCome'
import { parseStamp, StampSchema, type Stamp } from './hlc'

// Places with a queue: shift places, activity places, meal seats. Each person's
// place in line is their own entry keyed by (record, person), so two people acting
// at once never write the same key. Who is in and who waits is derived from all
// entries by HLC order (see firstCome), the same on every device.

const stamp = StampSchema

export const PlaceEntrySchema = v.pipe(
  v.object({
    id: v.string(),
    recordId: IdSchema,
    personId: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
    personName: v.pipe(v.string(), v.minLength(1), v.maxLength(30)),
    /** When this entry joined the line: its place in the queue. */
    stamp,
    active: v.boolean(),
    updatedAt: stamp,
    /** Who wrote it: the person, or someone acting on their behalf (代办). */
    byId: v.string(),
    byName: v.string(),
    /** Whether the device that wrote it saw a free place. If it did and the merged
     * queue says "waitlist", the person was bumped; if it did not and the queue now
     * says "in", they were promoted. Either way they must be told. */
    sawPlace: v.boolean(),
    /** The entry this one was written over (joining again), kept so a place given away then stays given. */
    previous: v.optional(v.object({ stamp, until: v.nullable(stamp) })),
  }),
  v.check((e) => e.id === entryKey(e.recordId, e.personId), 'id does not match what it belongs to'),
)
export type PlaceEntry = v.InferOutput<typeof PlaceEntrySchema>

export const entryKey = (recordId: string, personId: string) => `${recordId}|${personId}`

/** A person without a phone, entered by staff: known by name. */
export const offlinePersonId = (name: string) => `name:${name.trim()}`

/** Whom a request or a concern is for: its writer, or (a name typed that is not theirs) a resident without a phone (代办). */
export function personFor(by: { id: string; name: string }, forName: string): { forId: string; forName: string } {
  const someoneElse = forName !== '' && forName !== by.name
  return someoneElse ? { forId: offlinePersonId(forName), forName } : { forId: by.id, forName: by.name }
}

export interface PlaceView {
  confirmed: PlaceEntry[]
  waitlist: PlaceEntry[]
  /** null when there is no limit. */
  placesLeft: number | null
}

/** `places` null = no limit. A cancelled record has no places and no queue. */
export function allocatePlaces(entries: readonly PlaceEntry[], places: number | null, cancelled: boolean): PlaceView {
  if (cancelled) return { confirmed: [], waitlist: [], placesLeft: 0 }
  const active = entries.filter((e) => e.active)
  if (places === null) return { ...firstCome(active, Infinity), placesLeft: null }
  const { confirmed, waitlist } = firstCome(active, places)
  return { confirmed, waitlist, placesLeft: Math.max(0, places - confirmed.length) }
}

export const hasRoom = (view: PlaceView) => view.placesLeft === null || view.placesLeft > 0

export type PlaceStatus = 'confirmed' | 'promoted' | 'waitlisted' | 'bumped' | 'none'

export function statusOf(view: PlaceView, personId: string): { status: PlaceStatus; position: number } {
  const mine = view.confirmed.find((e) => e.personId === personId)
  if (mine) return { status: mine.sawPlace ? 'confirmed' : 'promoted', position: 0 }
  const at = view.waitlist.findIndex((e) => e.personId === personId)
  if (at < 0) return { status: 'none', position: 0 }
  return { status: view.waitlist[at]!.sawPlace ? 'bumped' : 'waitlisted', position: at + 1 }
}

export const isIn = (status: PlaceStatus) => status === 'confirmed' || status === 'promoted'

/** Wall time (ms) of a stamp, to tell whether an entry was made after the last send. */
export const stampTime = (s: Stamp): number => parseStamp(s)?.wallMs ?? 0
