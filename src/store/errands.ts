import type { SpaceDocs } from './space-docs'
import { AgentSchema, checkAgent, checkPrivateErrand, checkServiceDraft, privateErrandStatus, privateStepAllowed, PrivateErrandSchema, PrivateStepSchema, ServiceSchema, type Agent, type PrivateErrand, type PrivateErrandDraft, type PrivateStep, type Service, type ServiceDraft } from '../domain/errands'
import { errandNumber } from '../domain/aid'
import { today } from '../domain/calendar'
import type { HybridClock } from '../domain/hlc'
import { newId } from '../domain/ids'
import { failed, type Checked } from '../domain/validation'
import { readByPrefix, readCollection, readRecord, type Writer } from './collection'
import { publicSpace, staffSpace } from './layout'
import type { Person } from './places'
import { liveOf } from './reactive'
import { feature } from './feature'
import { endErrandShares } from './shares'

// The 代办 point's list of services and its 代办员 (domain/errands.ts): staff's records.

/** Adds a service to the list, or changes one (`id`). */
export function saveService(docs: SpaceDocs, clock: HybridClock, draft: ServiceDraft, id?: string): Checked<Service> {
  const check = checkServiceDraft(draft)
  if (!check.ok) return check
  const service: Service = { id: id ?? newId(12), ...check.value, stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).errandServices.put(service.id, service))
  return { ok: true, value: service }
}

/** Takes a service off the list; errands registered under it keep its name. */
export function retireService(docs: SpaceDocs, clock: HybridClock, id: string): Checked<Service> {
  const service = readRecord(ServiceSchema, id, publicSpace(docs).errandServices.get(id))
  if (!service) return failed('service', 'problem.notFound')
  const retired: Service = { ...service, retired: true, stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).errandServices.put(id, retired))
  return { ok: true, value: retired }
}

/** Appoints a member as 代办员 (their name and phone go on the slips they carry), or stands them down. */
export function setAgent(docs: SpaceDocs, clock: HybridClock, person: Person, phone: string, appointed: boolean): Checked<Agent> {
  const problems = checkAgent(person.name, phone)
  if (Object.keys(problems).length > 0) return { ok: false, problems }
  const agent: Agent = { id: person.id, name: person.name.trim(), phone: phone.trim(), stamp: clock.tick(), ...(appointed ? {} : { retired: true as const }) }
  const existing = readRecord(AgentSchema, person.id, publicSpace(docs).errandAgents.get(person.id))
  if (!existing && !appointed) return failed('agent', 'problem.notFound')
  docs.transact(() => publicSpace(docs).errandAgents.put(agent.id, agent))
  return { ok: true, value: agent }
}

// ---- Private errands (staff space) ----

/** Staff register an errand under a private service: in the staff space, numbered by this device. */
export function registerPrivateErrand(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, draft: PrivateErrandDraft, day = today()): Checked<PrivateErrand> {
  const service = readRecord(ServiceSchema, draft.serviceId, publicSpace(pubDocs).errandServices.get(draft.serviceId)) ?? undefined
  const check = checkPrivateErrand(draft, service, day)
  if (!check.ok) return check
  const mine = errandNumber(day, clock.deviceId, 0, 'P').slice(0, -1)
  const mineToday = [...readCollection(staffSpace(staffDocs).privateErrands, PrivateErrandSchema).records.values()].filter((e) => e.number.startsWith(mine)).length
  const errand: PrivateErrand = { id: newId(16), number: errandNumber(day, clock.deviceId, mineToday, 'P'), received: day, ...check.value, stamp: clock.tick() }
  staffDocs.transact(() => staffSpace(staffDocs).privateErrands.put(errand.id, errand))
  return { ok: true, value: errand }
}

export const readPrivateSteps = (staffDocs: SpaceDocs, errandId: string): PrivateStep[] => readByPrefix(staffSpace(staffDocs).privateErrandSteps, PrivateStepSchema, `${errandId}|`)

export const readPrivateErrand = (staffDocs: SpaceDocs, id: string): PrivateErrand | null => readRecord(PrivateErrandSchema, id, staffSpace(staffDocs).privateErrands.get(id))

/**
 * One step on a private errand, if it may follow what is there: staff's own, or one a
 * 代办员 sent back (`nonce` from their reply, so bringing it in twice writes it once).
 */
export function putPrivateStep(staffDocs: SpaceDocs, clock: HybridClock, step: Omit<PrivateStep, 'id' | 'stamp'>, nonce = newId(12)): Checked<PrivateStep> {
  if (!readPrivateErrand(staffDocs, step.errandId)) return failed('errand', 'problem.notFound')
  const id = `${step.errandId}|${nonce}`
  const map = staffSpace(staffDocs).privateErrandSteps
  if (map.get(id) !== undefined) return failed('errand', 'problem.alreadyIn')
  if (!privateStepAllowed(privateErrandStatus(readPrivateSteps(staffDocs, step.errandId)), step)) return failed('errand', 'problem.notAllowed')
  const written: PrivateStep = { ...step, id, stamp: clock.tick() }
  staffDocs.transact(() => map.put(id, written))
  return { ok: true, value: written }
}

export const errandCommands = ({ docs, clock, actor }: Writer, staff: Writer) => ({
  saveService: (draft: ServiceDraft, id?: string) => saveService(docs, clock, draft, id),
  retireService: (id: string) => retireService(docs, clock, id),
  setAgent: (person: Person, phone: string, appointed: boolean) => setAgent(docs, clock, person, phone, appointed),
  registerPrivate: (draft: PrivateErrandDraft) => registerPrivateErrand(docs, staff.docs, clock, draft),
  /** Staff's own steps on a private errand (dispatch goes with sealing it: session/shares.ts); either ends it on the 代办员's phone. */
  privateStep: (errandId: string, type: 'receiptBack' | 'withdrawn') => {
    const step = putPrivateStep(staff.docs, clock, { errandId, type, day: today(), byId: actor().id, byName: actor().name })
    if (step.ok) endErrandShares(docs, clock, errandId)
    return step
  },
})

export function liveErrandData(docs: SpaceDocs, clock: HybridClock) {
  return {
    services: liveOf(docs, 'errandServices', clock),
    agents: liveOf(docs, 'errandAgents', clock),
  }
}
export type LiveErrandData = ReturnType<typeof liveErrandData>

/** The 代办 point's services and 代办员 (the errands themselves are help requests, store/aid.ts). */
export const errandsFeature = feature({
  live: ({ pub, clock }) => liveErrandData(pub, clock),
  staffLive: ({ staff, clock }) => ({ errands: liveOf(staff, 'privateErrands', clock), steps: liveOf(staff, 'privateErrandSteps', clock) }),
  staffCommands: ({ pub, staff }) => errandCommands(pub, staff),
})
