import * as v from 'valibot'
import { IdSchema } from './ids'
import { StampSchema, stampDay, type Stamp } from './hlc'
import type { Day } from './calendar'
import type { AidRequest, AidStatus } from './aid'
import { checked, checkText, type Checked, type Problems } from './validation'

// The 代办 point (便民代办点) as the field runs it: a list of services staff keep
// (事项清单 / 办事指南), the 代办员 staff appoint (a resident does not appoint
// themselves), and the ledger of every errand (代办登记台账). An errand itself is a
// help request of the paperwork kind (domain/aid.ts): numbered, with its materials,
// its due date, and the receipt collected back when it is done (两单制).

export const SERVICE_CLASSES = ['identity', 'socialSecurity', 'welfare', 'health', 'housing', 'other'] as const
export type ServiceClass = (typeof SERVICE_CLASSES)[number]

const text = (max: number) => v.pipe(v.string(), v.maxLength(max))

export const ServiceSchema = v.object({
  id: IdSchema,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  serviceClass: v.picklist(SERVICE_CLASSES),
  materials: v.pipe(v.array(text(40)), v.maxLength(20)),
  /** Where it is handled (the street office's window, the township's social security office). */
  where: text(60),
  /** Fees beyond the legal ones: almost always none. */
  fee: text(40),
  /** Usual days it is handled, and how many days an errand usually takes (its due date). */
  days: text(40),
  takesDays: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365))),
  /** Touches eligibility or health (低保, 残疾补贴, 大病证明): its errands are not for the public list. */
  sensitive: v.boolean(),
  /** Taken off the list (old errands still name it). */
  retired: v.optional(v.literal(true)),
  stamp: StampSchema,
})
export type Service = v.InferOutput<typeof ServiceSchema>

/** A 代办员, appointed by staff: the slip carries their name and phone. Keyed by their person id. */
export const AgentSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(30)),
  phone: text(20),
  retired: v.optional(v.literal(true)),
  stamp: StampSchema,
})
export type Agent = v.InferOutput<typeof AgentSchema>

export interface ServiceDraft {
  name: string
  serviceClass: ServiceClass
  materials: string[]
  where: string
  fee: string
  days: string
  takesDays: string
  sensitive: boolean
}
export type ServiceField = keyof ServiceDraft

export function checkServiceDraft(draft: ServiceDraft): Checked<Omit<Service, 'id' | 'stamp' | 'retired'>, ServiceField> {
  const problems: Problems<ServiceField> = {}
  checkText(problems, 'name', draft.name.trim(), { required: true, max: 40 })
  checkText(problems, 'where', draft.where.trim(), { required: false, max: 60 })
  checkText(problems, 'fee', draft.fee.trim(), { required: false, max: 40 })
  checkText(problems, 'days', draft.days.trim(), { required: false, max: 40 })
  if (!(SERVICE_CLASSES as readonly string[]).includes(draft.serviceClass)) problems.serviceClass = 'problem.required'
  const materials = draft.materials.map((m) => m.trim()).filter(Boolean)
  if (materials.length > 20 || materials.some((m) => m.length > 40)) problems.materials = 'problem.tooLong'
  const takes = draft.takesDays.trim()
  const takesDays = takes === '' ? null : Number(takes)
  if (takesDays !== null && (!Number.isInteger(takesDays) || takesDays < 1 || takesDays > 365)) problems.takesDays = 'problem.badCount'
  return checked({ name: draft.name.trim(), serviceClass: draft.serviceClass, materials, where: draft.where.trim(), fee: draft.fee.trim(), days: draft.days.trim(), takesDays, sensitive: draft.sensitive }, problems)
}

export function checkAgent(name: string, phone: string): Problems<'name' | 'phone'> {
  const problems: Problems<'name' | 'phone'> = {}
  checkText(problems, 'name', name.trim(), { required: true, max: 30 })
  if (phone.trim() !== '' && !/^[0-9+\- ]{5,20}$/.test(phone.trim())) problems.phone = 'problem.badPhone'
  return problems
}

// ---- The ledger (代办登记台账) ----------------------------------------------------------

export interface LedgerRow {
  number: string
  received: Day
  applicant: string
  service: string
  /** The 代办员 who took it (by dispatch or themselves), '' while nobody has. */
  agent: string
  agentId: string
  /** When the 代办员 passed it on to the office (送办), finished, and the receipt came back. */
  passedOn: Day | ''
  finished: Day | ''
  result: string
  receiptBack: Day | ''
  state: AidStatus['state']
}

const dayOf = (stamp: Stamp | null | undefined): Day | '' => (stamp ? stampDay(stamp) : '')

/** Every numbered errand received in `month` (and by one 代办员, if given), oldest first. */
export function ledger(items: readonly { request: AidRequest; status: AidStatus }[], serviceName: (id: string | undefined) => string, month: string, agentId = ''): LedgerRow[] {
  return items
    .filter(({ request }) => request.number !== undefined && stampDay(request.stamp).startsWith(month))
    .map(({ request, status }): LedgerRow => ({
      number: request.number!,
      received: stampDay(request.stamp),
      applicant: request.forName,
      service: serviceName(request.serviceId) || request.title,
      agent: status.taker?.name ?? '',
      agentId: status.taker?.id ?? '',
      passedOn: dayOf(status.passedOnAt),
      finished: dayOf(status.state === 'closed' || status.state === 'done' ? status.doneAt : null),
      result: status.doneNote,
      receiptBack: dayOf(status.receiptBackAt),
      state: status.state,
    }))
    .filter((row) => agentId === '' || row.agentId === agentId)
    .sort((a, b) => (a.received !== b.received ? (a.received < b.received ? -1 : 1) : a.number < b.number ? -1 : 1))
}
