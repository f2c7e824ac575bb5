import type { SpaceDocs } from './space-docs'
import { AgentSchema, checkAgent, checkServiceDraft, ServiceSchema, type Agent, type Service, type ServiceDraft } from '../domain/errands'
import type { HybridClock } from '../domain/hlc'
import { newId } from '../domain/ids'
import { failed, type Checked } from '../domain/validation'
import { readRecord, type Writer } from './collection'
import { publicSpace } from './layout'
import type { Person } from './places'
import { liveOf } from './reactive'
import { feature } from './feature'

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

export const errandCommands = ({ docs, clock }: Writer) => ({
  saveService: (draft: ServiceDraft, id?: string) => saveService(docs, clock, draft, id),
  retireService: (id: string) => retireService(docs, clock, id),
  setAgent: (person: Person, phone: string, appointed: boolean) => setAgent(docs, clock, person, phone, appointed),
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
  staffCommands: ({ pub }) => errandCommands(pub),
})
