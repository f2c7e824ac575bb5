import type { SpaceDocs } from './space-docs'
import { categoryList, checkCategoryName, ConcernCategorySchema, isBuiltInCategory, type ConcernCategory, type ConcernCategoryRecord, allowedStep, checkConcernDraft, checkStep, concernEventKey, concernStatus, ConcernEventSchema, ConcernSchema, type Concern, type ConcernDraft, type ConcernEvent, type ConcernPhoto, type ConcernStep, type PhotoInput, type PrivateNote, type PrivateWords, type SealedConcern, type StepInput, isPrivate, photoKey, photoParts } from '../domain/concerns'
import { today, type Day } from '../domain/calendar'
import type { HybridClock } from '../domain/hlc'
import { newId, ownedId } from '../domain/ids'
import { personFor } from '../domain/places'
import { failed, type Checked } from '../domain/validation'
import { readByPrefix, readCollection, readRecord, type Writer } from './collection'
import { publicSpace } from './layout'
import type { Person } from './places'
import { liveOf } from './reactive'
import { feature } from './feature'

// Residents' concerns (domain/concerns.ts): a concern and its steps, each a signed
// record of its own in the public space.

const notFound = failed('concern', 'problem.notFound')

export function findConcern(docs: SpaceDocs, id: string): Concern | null {
  return readRecord(ConcernSchema, id, publicSpace(docs).concerns.get(id))
}

/** Seals what a private concern says (trust/private.ts): null where this device cannot (no drop box yet, no keys). */
export interface Sealer {
  concern(id: string, words: PrivateWords): Promise<SealedConcern | null>
  note(concern: Concern, eventId: string, note: PrivateNote): Promise<{ iv: string; box: string } | null>
}

const cannotSeal = failed('private', 'problem.cannotSeal')

/** The categories a concern may be reported under now (the list staff keep). */
export const readCategories = (docs: SpaceDocs): ConcernCategory[] => categoryList([...readCollection(publicSpace(docs).concernCategories, ConcernCategorySchema).records.values()])

/** A concern ready to write: checked, stamped, with its id. */
function prepareConcern(docs: SpaceDocs, clock: HybridClock, by: Person, draft: ConcernDraft): Checked<Concern> {
  const check = checkConcernDraft(draft, readCategories(docs))
  if (!check.ok) return check
  const { forName, private: _private, ...rest } = check.value
  const stamp = clock.tick()
  return {
    ok: true,
    value: {
      // Its id begins with the reporter's person id (nobody else can take the key over) and says when it began.
      id: ownedId(by.id, stamp),
      ...rest,
      ...personFor(by, forName),
      reportedBy: by.id,
      reportedByName: by.name,
      stamp,
    },
  }
}

/** Reports a concern: one's own, or one taken from a resident by phone, at the desk or on a round. (A private one: reportPrivateConcern.) */
export function reportConcern(docs: SpaceDocs, clock: HybridClock, by: Person, draft: ConcernDraft, photo?: PhotoInput): Checked<Concern> {
  if (draft.private) return cannotSeal
  const parts = photo ? photoParts(photo) : null
  if (photo && !parts) return failed('photo', 'problem.photoTooLarge')
  const prepared = prepareConcern(docs, clock, by, draft)
  if (!prepared.ok) return prepared
  const concern = prepared.value
  docs.transact(() => {
    publicSpace(docs).concerns.put(concern.id, concern)
    if (photo && parts) {
      const record: ConcernPhoto = { id: photoKey(concern.id), concernId: concern.id, byId: by.id, type: 'image/jpeg', width: photo.width, height: photo.height, parts, stamp: concern.stamp }
      publicSpace(docs).concernPhotos.put(record.id, record)
    }
  })
  return { ok: true, value: concern }
}

/** A private concern: its words sealed to staff and the reporter before it is written (no photo: every phone would hold it). */
export async function reportPrivateConcern(docs: SpaceDocs, clock: HybridClock, by: Person, draft: ConcernDraft, sealer: Sealer): Promise<Checked<Concern>> {
  const prepared = prepareConcern(docs, clock, by, draft)
  if (!prepared.ok) return prepared
  const { what, where, forName, reportedByName } = prepared.value
  const sealed = await sealer.concern(prepared.value.id, { what, where, forName, reportedByName })
  if (!sealed) return cannotSeal
  const record: Concern = { ...prepared.value, what: '', where: '', forName: '', reportedByName: '', sealed }
  docs.transact(() => publicSpace(docs).concerns.put(record.id, record))
  return { ok: true, value: record }
}

/**
 * One step, checked against the state derived on this device. Two staff devices apart
 * may both take a step; the replay in HLC order then decides, the same everywhere.
 * The concern and its steps are taken into the clock first: no screen may have read
 * them, and a step must be stamped after every step it follows.
 */
function prepareStep(docs: SpaceDocs, clock: HybridClock, concernId: string, type: ConcernStep, by: Person, input: StepInput, isStaff: (id: string) => boolean, day: Day): Checked<{ concern: Concern; event: ConcernEvent }> {
  const concern = findConcern(docs, concernId)
  if (!concern) return notFound
  const events = readByPrefix(publicSpace(docs).concernEvents, ConcernEventSchema, `${concernId}|`)
  clock.receive(concern.stamp)
  events.forEach((event) => clock.receive(event.stamp))
  const status = concernStatus(concern, events, isStaff)
  if (!allowedStep(status, { type, byId: by.id }, concern, isStaff)) {
    const stateAllows = allowedStep(status, { type, byId: by.id }, { forId: by.id, reportedBy: by.id }, () => true)
    return failed('concern', stateAllows ? 'problem.notAllowed' : 'problem.notOpen')
  }
  const check = checkStep(type, input, day)
  if (!check.ok) return check
  const stamp = clock.tick()
  const event: ConcernEvent = { id: concernEventKey(concernId, stamp), concernId, type, byId: by.id, byName: by.name, stamp }
  const { note, assignee, due, to, solved, satisfaction } = check.value
  if (note) event.note = note
  if (type === 'accept' && assignee) event.assignee = assignee
  if (type === 'accept' && due) event.due = due
  if (type === 'passUp') event.to = to!
  if (type === 'rate') Object.assign(event, { solved: solved!, satisfaction: satisfaction! })
  return { ok: true, value: { concern, event } }
}

/** What a step says in words (note, office, assignee): sealed on a private concern. */
const wordsOf = ({ note, to, assignee }: ConcernEvent): PrivateNote => Object.fromEntries(Object.entries({ note, to, assignee }).filter(([, value]) => value))

export function concernStep(docs: SpaceDocs, clock: HybridClock, concernId: string, type: ConcernStep, by: Person, input: StepInput, isStaff: (id: string) => boolean, day: Day): Checked<ConcernEvent> {
  const prepared = prepareStep(docs, clock, concernId, type, by, input, isStaff, day)
  if (!prepared.ok) return prepared
  const { concern, event } = prepared.value
  if (isPrivate(concern) && Object.keys(wordsOf(event)).length > 0) return cannotSeal
  docs.transact(() => publicSpace(docs).concernEvents.put(event.id, event))
  return { ok: true, value: event }
}

/** A step on a private concern: what it says is sealed under the concern's key, which this device must be able to open. */
export async function privateConcernStep(docs: SpaceDocs, clock: HybridClock, concernId: string, type: ConcernStep, by: Person, input: StepInput, isStaff: (id: string) => boolean, day: Day, sealer: Sealer): Promise<Checked<ConcernEvent>> {
  const prepared = prepareStep(docs, clock, concernId, type, by, input, isStaff, day)
  if (!prepared.ok) return prepared
  const { concern, event } = prepared.value
  const words = wordsOf(event)
  if (Object.keys(words).length === 0) return concernStep(docs, clock, concernId, type, by, input, isStaff, day)
  const sealed = await sealer.note(concern, event.id, words)
  if (!sealed) return cannotSeal
  const { note: _n, to: _t, assignee: _a, ...bare } = event
  const record: ConcernEvent = { ...bare, sealed }
  docs.transact(() => publicSpace(docs).concernEvents.put(record.id, record))
  return { ok: true, value: record }
}

/** What anyone may do with concerns (each resolves once written); who may take which step is checked in the domain. */
export const concernCommands = ({ docs, clock, actor }: Writer, isStaff: (id: string) => boolean, sealer?: Sealer) => ({
  report: async (draft: ConcernDraft, photo?: PhotoInput): Promise<Checked<Concern>> =>
    draft.private ? (sealer ? reportPrivateConcern(docs, clock, actor(), draft, sealer) : cannotSeal) : reportConcern(docs, clock, actor(), draft, photo),
  step: async (concernId: string, type: ConcernStep, input: StepInput = {}): Promise<Checked<ConcernEvent>> => {
    const concern = findConcern(docs, concernId)
    return concern && isPrivate(concern) && sealer
      ? privateConcernStep(docs, clock, concernId, type, actor(), input, isStaff, today(), sealer)
      : concernStep(docs, clock, concernId, type, actor(), input, isStaff, today())
  },
})

/** Staff add a category to the list, or take one off it (built-in or added) and put it back. */
export function addCategory(docs: SpaceDocs, clock: HybridClock, name: string): Checked<ConcernCategoryRecord> {
  const records = [...readCollection(publicSpace(docs).concernCategories, ConcernCategorySchema).records.values()]
  const problems = checkCategoryName(name, records.filter((r) => !isBuiltInCategory(r.id)).map((r) => r.name))
  if (problems.name) return { ok: false, problems }
  const record: ConcernCategoryRecord = { id: `c-${newId(10)}`, name: name.trim(), stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).concernCategories.put(record.id, record))
  return { ok: true, value: record }
}

export function keepCategory(docs: SpaceDocs, clock: HybridClock, id: string, onList: boolean): Checked<ConcernCategoryRecord> {
  const existing = readRecord(ConcernCategorySchema, id, publicSpace(docs).concernCategories.get(id))
  if (!existing && !isBuiltInCategory(id)) return failed('category', 'problem.notFound')
  const { retired: _retired, ...kept } = existing ?? { id, name: '' }
  const record: ConcernCategoryRecord = { ...kept, ...(onList ? {} : { retired: true as const }), stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).concernCategories.put(id, record))
  return { ok: true, value: record }
}

export const categoryCommands = ({ docs, clock }: Writer) => ({
  addCategory: (name: string) => addCategory(docs, clock, name),
  keepCategory: (id: string, onList: boolean) => keepCategory(docs, clock, id, onList),
})

export function liveConcernData(docs: SpaceDocs, clock: HybridClock) {
  return {
    // A year of concerns lives in the standing doc: read when a screen first asks.
    concerns: liveOf(docs, 'concerns', clock),
    events: liveOf(docs, 'concernEvents', clock),
    photos: liveOf(docs, 'concernPhotos', clock),
    categories: liveOf(docs, 'concernCategories', clock),
  }
}
export type LiveConcernData = ReturnType<typeof liveConcernData>

export const concernsFeature = feature({
  live: ({ pub, clock }) => liveConcernData(pub, clock),
  commands: ({ pub, isStaff, sealer }) => concernCommands(pub, isStaff, sealer),
  staffCommands: ({ pub }) => categoryCommands(pub),
})
