import type { SpaceDocs } from './space-docs'
import { AidEventSchema, AidRequestSchema, allowed, checkAidDraft, checkRatingStars, deriveStatus, errandNumber, eventKey, type AidDraft, type AidEvent, type AidEventType, type AidRequest } from '../domain/aid'
import { today, type Day } from '../domain/calendar'
import { stampDay, type HybridClock } from '../domain/hlc'
import { ownedId } from '../domain/ids'
import { ServiceSchema } from '../domain/errands'
import { personFor } from '../domain/places'
import { failed, type Checked, type ProblemKey } from '../domain/validation'
import { readByPrefix, readCollection, readRecord, type Writer } from './collection'
import { publicSpace } from './layout'
import type { Person } from './places'
import { liveOf } from './reactive'
import { feature } from './feature'

const notFound = failed('request', 'problem.notFound')

const eventsOf = (docs: SpaceDocs, requestId: string): AidEvent[] => readByPrefix(publicSpace(docs).aidEvents, AidEventSchema, `${requestId}|`)

/**
 * A request and its events, with their stamps taken into the clock: no screen may have
 * read them yet (they are read when one first shows them), and a step must be stamped
 * after every step it follows.
 */
function requestWithEvents(docs: SpaceDocs, clock: HybridClock, id: string): { request: AidRequest; events: AidEvent[] } | null {
  const request = findRequest(docs, id)
  if (!request) return null
  const events = eventsOf(docs, id)
  clock.receive(request.editedAt)
  events.forEach((event) => clock.receive(event.stamp))
  return { request, events }
}

export function findRequest(docs: SpaceDocs, id: string): AidRequest | null {
  return readRecord(AidRequestSchema, id, publicSpace(docs).aidRequests.get(id))
}

/** Posts a need or an offer, for oneself or on behalf of a resident without a phone. */
export function postRequest(docs: SpaceDocs, clock: HybridClock, by: Person, draft: AidDraft, today: Day): Checked<AidRequest> {
  const check = checkAidDraft(draft, today)
  if (!check.ok) return check
  const { forName, materials, due, serviceId, ...rest } = check.value
  // A private service's errands are registered by staff in the staff space (store/errands.ts), never posted here.
  if (serviceId && readRecord(ServiceSchema, serviceId, publicSpace(docs).errandServices.get(serviceId))?.sensitive) return failed('serviceId', 'problem.notAllowed')
  const stamp = clock.tick()
  const request: AidRequest = {
    // Its id begins with the poster's person id (nobody else can take the key over) and says when it began.
    id: ownedId(by.id, stamp),
    ...rest,
    ...personFor(by, forName),
    postedBy: by.id,
    postedByName: by.name,
    stamp,
    editedAt: stamp,
  }
  if (rest.category === 'paperwork') {
    // Numbered by this device alone, so no server is needed to keep numbers unique.
    // Only this device's own errands are validated, not the whole year's requests.
    let mineToday = 0
    publicSpace(docs).aidRequests.forEach((raw, key) => {
      if (typeof raw !== 'object' || raw === null || (raw as { postedBy?: unknown }).postedBy !== by.id) return
      const r = readRecord(AidRequestSchema, key, raw)
      if (r?.number !== undefined && stampDay(r.stamp) === today) mineToday++
    })
    request.number = errandNumber(today, clock.deviceId, mineToday)
    request.materials = materials
    if (due) request.due = due
    if (serviceId) request.serviceId = serviceId
  }
  docs.transact(() => publicSpace(docs).aidRequests.put(request.id, request))
  return { ok: true, value: request }
}

/** Edits are for the requester (or staff) while nobody has taken it. */
export function editRequest(docs: SpaceDocs, clock: HybridClock, by: Person, id: string, draft: AidDraft, today: Day, isStaff: (id: string) => boolean): Checked<AidRequest> {
  const found = requestWithEvents(docs, clock, id)
  if (!found) return notFound
  const { request } = found
  const status = deriveStatus(request, found.events, isStaff)
  if (status.state !== 'open') return { ok: false, problems: { request: 'problem.notOpen' } }
  if (by.id !== request.postedBy && by.id !== request.forId && !isStaff(by.id)) return { ok: false, problems: { request: 'problem.notAllowed' } }
  const check = checkAidDraft(draft, today)
  if (!check.ok) return check
  const { forName: _f, materials, due, serviceId: _s, ...rest } = check.value
  const edited: AidRequest = { ...request, ...rest, editedAt: clock.tick() }
  if (request.category === 'paperwork' || rest.category === 'paperwork') {
    edited.materials = materials
    if (due) edited.due = due
    else delete edited.due
  }
  docs.transact(() => publicSpace(docs).aidRequests.put(id, edited))
  return { ok: true, value: edited }
}

export interface StepDetails {
  /** dispatch: the volunteer staff name. */
  volunteer?: Person
  note?: string
  stars?: number
}

const refusal: Record<AidEventType, ProblemKey> = {
  take: 'problem.notOpen',
  dispatch: 'problem.notOpen',
  accept: 'problem.notOffered',
  decline: 'problem.notOffered',
  withdraw: 'problem.notOpen',
  received: 'problem.nobodyTook',
  passedOn: 'problem.nobodyTook',
  done: 'problem.nobodyTook',
  receiptBack: 'problem.notDoneYet',
  confirm: 'problem.notDoneYet',
  notDone: 'problem.notDoneYet',
}

/**
 * One step of the lifecycle, checked against the state derived on this device.
 * Offline, two devices may both accept a step; the replay in HLC order then
 * decides, the same way everywhere, and the loser is told.
 */
export function step(docs: SpaceDocs, clock: HybridClock, requestId: string, type: AidEventType, by: Person, details: StepDetails, isStaff: (id: string) => boolean, isAgent?: (id: string) => boolean): Checked<AidEvent> {
  const found = requestWithEvents(docs, clock, requestId)
  if (!found) return notFound
  const { request } = found
  const status = deriveStatus(request, found.events, isStaff, isAgent)
  if (!allowed(status, { type, byId: by.id }, request, isStaff, isAgent)) {
    // Would the state allow it for someone with every right? Then it is a matter of who.
    const stateAllows = allowed(status, { type, byId: by.id }, { forId: by.id, postedBy: by.id, category: request.category }, () => true)
    return { ok: false, problems: { request: stateAllows ? 'problem.notAllowed' : refusal[type] } }
  }
  if (type === 'confirm' && details.stars !== undefined) {
    const problem = checkRatingStars(details.stars)
    if (problem) return { ok: false, problems: { stars: problem } }
  }
  const stamp = clock.tick()
  const volunteer = type === 'take' ? by : type === 'dispatch' ? details.volunteer : undefined
  if (type === 'dispatch' && !volunteer) return { ok: false, problems: { volunteer: 'problem.required' } }
  // An errand goes to a 代办员 (or staff), never to someone staff have not appointed.
  if (type === 'dispatch' && request.category === 'paperwork' && isAgent && !isAgent(volunteer!.id) && !isStaff(volunteer!.id)) return { ok: false, problems: { volunteer: 'problem.notAgent' } }
  const event: AidEvent = { id: eventKey(requestId, stamp), requestId, type, byId: by.id, byName: by.name, stamp }
  if (volunteer) {
    event.volunteerId = volunteer.id
    event.volunteerName = volunteer.name
  }
  // Offered, not given: the volunteer accepts or declines on their own phone.
  if (type === 'dispatch') event.offer = true
  if (details.note?.trim()) event.note = details.note.trim().slice(0, 500)
  if (type === 'confirm' && details.stars !== undefined) event.stars = details.stars
  docs.transact(() => publicSpace(docs).aidEvents.put(event.id, event))
  return { ok: true, value: event }
}

/** What anyone may do with help requests; who may take which step is checked in the domain. */
export const aidCommands = ({ docs, clock, actor }: Writer, isStaff: (id: string) => boolean, isAgent?: (id: string) => boolean) => ({
  post: (draft: AidDraft) => postRequest(docs, clock, actor(), draft, today()),
  edit: (id: string, draft: AidDraft) => editRequest(docs, clock, actor(), id, draft, today(), isStaff),
  step: (requestId: string, type: AidEventType, details: StepDetails = {}) => step(docs, clock, requestId, type, actor(), details, isStaff, isAgent),
})

export function readAidData(docs: SpaceDocs) {
  const layout = publicSpace(docs)
  return {
    requests: [...readCollection(layout.aidRequests, AidRequestSchema).records.values()],
    events: [...readCollection(layout.aidEvents, AidEventSchema).records.values()],
  }
}

export function liveAidData(docs: SpaceDocs, clock: HybridClock) {
  return {
    // A year of help requests lives in the standing doc, and Today shows none: they are
    // read when a screen first asks for them.
    requests: liveOf(docs, 'aidRequests', clock),
    events: liveOf(docs, 'aidEvents', clock),
  }
}
export type LiveAidData = ReturnType<typeof liveAidData>

export const aidFeature = feature({
  live: ({ pub, clock }) => liveAidData(pub, clock),
  commands: ({ pub, isStaff, isAgent }) => aidCommands(pub, isStaff, isAgent),
})
