import * as v from 'valibot'
import { IdSchema } from './ids'
import { StampSchema, stampDay, type Stamp } from './hlc'
import { isDay, type Day } from './calendar'
import { DaySchema } from './schedule'
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

/** Empty, or digits with + - and spaces (a landline, a mobile, an extension). */
const isPhone = (phone: string) => phone.trim() === '' || /^[0-9+\- ]{5,20}$/.test(phone.trim())

export function checkAgent(name: string, phone: string): Problems<'name' | 'phone'> {
  const problems: Problems<'name' | 'phone'> = {}
  checkText(problems, 'name', name.trim(), { required: true, max: 30 })
  if (!isPhone(phone)) problems.phone = 'problem.badPhone'
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
  state: AidStatus['state'] | PrivateErrandState
  /** A private errand (staff devices only). */
  private?: true
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
    .sort(byReceived)
}

const byReceived = (a: LedgerRow, b: LedgerRow) => (a.received !== b.received ? (a.received < b.received ? -1 : 1) : a.number < b.number ? -1 : 1)

// ---- Private errands ----------------------------------------------------------------
// An errand under a service that touches eligibility or health (低保, 残疾补贴, 大病证明)
// is never in the public space: staff register it in the staff space, and dispatching it
// seals what the 代办员 needs (the applicant's phone and address among it) to that
// person's devices alone (trust/shares.ts, a share of kind 'errand'). The 代办员 sends
// each step back sealed the same way, and a staff device writes it into the errand's
// steps. Only staff devices and the 代办员's hold any of it in the clear.

export const PrivateErrandSchema = v.object({
  /** Kept in the standing doc (its id names no month): a ledger of any month reads it without opening that month. */
  id: IdSchema,
  number: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  serviceId: v.pipe(v.string(), v.maxLength(80)),
  service: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  received: DaySchema,
  applicant: v.pipe(v.string(), v.minLength(1), v.maxLength(30)),
  phone: text(20),
  /** Where the 代办员 finds the applicant (to collect materials, to bring back the result). */
  address: text(60),
  materials: v.pipe(v.array(text(40)), v.maxLength(20)),
  due: v.union([DaySchema, v.literal('')]),
  note: text(300),
  stamp: StampSchema,
})
export type PrivateErrand = v.InferOutput<typeof PrivateErrandSchema>

/** Staff's steps (dispatch, receipt back, withdraw) and the 代办员's, brought in from their sealed replies. */
export const PRIVATE_STEPS = ['dispatched', 'passedOn', 'finished', 'receiptBack', 'withdrawn'] as const
export type PrivateStepType = (typeof PRIVATE_STEPS)[number]
/** The steps a 代办员 sends back from their phone. */
export const AGENT_STEPS = ['passedOn', 'finished'] as const satisfies readonly PrivateStepType[]
export type AgentStepType = (typeof AGENT_STEPS)[number]

export const PrivateStepSchema = v.pipe(
  v.object({
    /** "<errand id>|<nonce>". */
    id: v.pipe(v.string(), v.maxLength(160)),
    errandId: IdSchema,
    type: v.picklist(PRIVATE_STEPS),
    /** Dispatched: to whom, and the share it was sealed in (trust/shares.ts). */
    agentId: v.optional(v.pipe(v.string(), v.maxLength(80))),
    shareId: v.optional(v.pipe(v.string(), v.maxLength(80))),
    agentName: v.optional(v.pipe(v.string(), v.maxLength(30))),
    /** Finished: what came of it (approved, refused, waiting for the office's letter). */
    result: v.optional(text(300)),
    day: DaySchema,
    byId: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
    byName: v.pipe(v.string(), v.maxLength(30)),
    stamp: StampSchema,
  }),
  v.check((step) => step.id.startsWith(`${step.errandId}|`), 'id does not match its errand'),
)
export type PrivateStep = v.InferOutput<typeof PrivateStepSchema>

export type PrivateErrandState = 'registered' | 'dispatched' | 'passedOn' | 'finished' | 'withdrawn'
export interface PrivateErrandStatus {
  state: PrivateErrandState
  agentId: string
  agentName: string
  /** The dispatch in force: its day (no step of the 代办员's is dated before it) and its stamp (what was sealed before it is an earlier dispatch's). */
  dispatched: Day | ''
  dispatchedAt: Stamp | ''
  /** The share the dispatch in force was sealed in. */
  shareId: string
  passedOn: Day | ''
  finished: Day | ''
  result: string
  receiptBack: Day | ''
}

/**
 * Whether a step may follow the errand's status so far; the 代办员's steps only from the
 * 代办员 it was dispatched to, and dated no earlier than the dispatch they answer ("finished"
 * no earlier than "passed on"): the day is the 代办员's to choose, and a staff device writes
 * it into the ledger in its own name, so a day that cannot be true is not taken.
 */
export function privateStepAllowed(status: PrivateErrandStatus, step: Pick<PrivateStep, 'type' | 'byId'> & { day?: Day }): boolean {
  const notBefore = (day: Day | '') => step.day === undefined || step.day >= day
  switch (step.type) {
    case 'dispatched':
      return status.state === 'registered' || status.state === 'dispatched' || status.state === 'passedOn'
    case 'passedOn':
      return status.state === 'dispatched' && step.byId === status.agentId && notBefore(status.dispatched)
    case 'finished':
      return (status.state === 'dispatched' || status.state === 'passedOn') && step.byId === status.agentId && notBefore(status.dispatched) && notBefore(status.passedOn)
    case 'receiptBack':
      return status.state === 'finished' && status.receiptBack === ''
    case 'withdrawn':
      return status.state !== 'finished' && status.state !== 'withdrawn'
  }
}

/** The errand's status: its steps replayed in stamp order, each taken only where it may follow (two staff phones apart converge). */
export function privateErrandStatus(steps: readonly PrivateStep[]): PrivateErrandStatus {
  const status: PrivateErrandStatus = { state: 'registered', agentId: '', agentName: '', dispatched: '', dispatchedAt: '', shareId: '', passedOn: '', finished: '', result: '', receiptBack: '' }
  for (const step of [...steps].sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.id < b.id ? -1 : 1))) {
    if (!privateStepAllowed(status, step)) continue
    switch (step.type) {
      case 'dispatched':
        Object.assign(status, { state: 'dispatched', agentId: step.agentId ?? '', agentName: step.agentName ?? '', dispatched: step.day, dispatchedAt: step.stamp, shareId: step.shareId ?? '', passedOn: '' })
        break
      case 'passedOn':
        Object.assign(status, { state: 'passedOn', passedOn: step.day })
        break
      case 'finished':
        Object.assign(status, { state: 'finished', finished: step.day, result: step.result ?? '' })
        break
      case 'receiptBack':
        status.receiptBack = step.day
        break
      case 'withdrawn':
        status.state = 'withdrawn'
    }
  }
  return status
}

export interface PrivateErrandDraft {
  serviceId: string
  applicant: string
  phone: string
  address: string
  materials: string[]
  due: string
  note: string
}
export type PrivateErrandField = keyof PrivateErrandDraft

/** Checks a private errand as staff type it in. */
export function checkPrivateErrand(draft: PrivateErrandDraft, service: Service | undefined, today: Day): Checked<Omit<PrivateErrand, 'id' | 'number' | 'received' | 'stamp'>, PrivateErrandField> {
  const problems: Problems<PrivateErrandField> = {}
  // Any service on the list: one that touches eligibility or health is registered only
  // this way; another one too when the applicant's phone must go with it to the 代办员.
  if (!service || service.retired) problems.serviceId = 'problem.required'
  checkText(problems, 'applicant', draft.applicant.trim(), { required: true, max: 30 })
  checkText(problems, 'address', draft.address.trim(), { required: false, max: 60 })
  checkText(problems, 'note', draft.note.trim(), { required: false, max: 300 })
  if (!isPhone(draft.phone)) problems.phone = 'problem.badPhone'
  const materials = draft.materials.map((m) => m.trim()).filter(Boolean)
  if (materials.length > 20 || materials.some((m) => m.length > 40)) problems.materials = 'problem.tooLong'
  const due = draft.due.trim()
  if (due !== '' && (!isDay(due) || due < today)) problems.due = 'problem.badDate'
  return checked(
    { serviceId: service?.id ?? '', service: service?.name ?? '', applicant: draft.applicant.trim(), phone: draft.phone.trim(), address: draft.address.trim(), materials, due: due as Day | '', note: draft.note.trim() },
    problems,
  )
}

/** The ledger's rows for private errands received in `month` (staff devices only). */
export function privateLedger(errands: readonly { errand: PrivateErrand; status: PrivateErrandStatus }[], month: string, agentId = ''): LedgerRow[] {
  return errands
    .filter(({ errand }) => errand.received.startsWith(month))
    .map(({ errand, status }): LedgerRow => ({
      number: errand.number,
      received: errand.received,
      applicant: errand.applicant,
      service: errand.service,
      agent: status.agentName,
      agentId: status.agentId,
      passedOn: status.passedOn,
      finished: status.finished,
      result: status.result,
      receiptBack: status.receiptBack,
      state: status.state,
      private: true,
    }))
    .filter((row) => agentId === '' || row.agentId === agentId)
    .sort(byReceived)
}

/** Public and private rows of one month, as one ledger. */
export const mergeLedgers = (...parts: LedgerRow[][]): LedgerRow[] => parts.flat().sort(byReceived)

/** The month's private errands for the community's monthly page: received, and finished of those. */
export function privateMonth(errands: readonly { errand: PrivateErrand; status: PrivateErrandStatus }[], month: string): { received: number; finished: number } {
  const received = errands.filter(({ errand }) => errand.received.startsWith(month))
  return { received: received.length, finished: received.filter(({ status }) => status.state === 'finished').length }
}
