import * as v from 'valibot'
import { IdSchema, stampAgreesWithId } from './ids'
import { compareStamps, parseStamp, StampSchema, stampDay, type Stamp } from './hlc'
import { DaySchema } from './schedule'
import { isDay, plusDays, type Day } from './calendar'
import { looksLikeFullAddress } from './aid'
import { checked, checkText, type Checked, type Problems } from './validation'

// Residents' concerns (民情诉求: 反映问题, 随手拍, 意见建议): what a resident tells the
// community is wrong or what they think, and the loop the field runs on it: received
// (受理), handled here or passed up (转办), answered, then confirmed and rated by the
// person who raised it (办结). As with help requests, a concern's state is never
// stored: each step is a signed event of its own, and the state is the events
// replayed in HLC order through `allowed`, so two staff devices that act while apart
// end, everywhere, with the same state, and the step that lost shows as not applied.

/** The categories every community starts with (said in each language's words); staff add their own and take any off the list. */
const CATEGORY_NAME_MAX = 20

export const CONCERN_CATEGORIES = ['sanitation', 'repairs', 'safety', 'dispute', 'policy', 'suggestion', 'other'] as const
export type BuiltInCategory = (typeof CONCERN_CATEGORIES)[number]
/** A built-in category's key, or the id of one staff added. */
export type ConcernCategory = string
export const isBuiltInCategory = (id: string): id is BuiltInCategory => (CONCERN_CATEGORIES as readonly string[]).includes(id)

/**
 * The list staff keep (domain words: 环境卫生, 设施维修 …, and their own: 电梯加装,
 * 垃圾分类): a category staff added (a name, an id of its own), or a built-in one
 * taken off the list (keyed by its own key, no name). Old concerns keep the category
 * they were reported under.
 */
export const ConcernCategorySchema = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
    name: v.pipe(v.string(), v.maxLength(CATEGORY_NAME_MAX)),
    retired: v.optional(v.literal(true)),
    stamp: StampSchema,
  }),
  v.check((c) => (isBuiltInCategory(c.id) ? c.name === '' : c.name.trim() !== ''), 'an added category has a name; a built-in one does not'),
)
export type ConcernCategoryRecord = v.InferOutput<typeof ConcernCategorySchema>

/** The list residents choose from: the built-in ones staff kept, then the ones staff added (in the order added). */
export function categoryList(records: readonly ConcernCategoryRecord[]): ConcernCategory[] {
  const retired = new Set(records.filter((r) => r.retired).map((r) => r.id))
  const added = records.filter((r) => !isBuiltInCategory(r.id) && !r.retired).sort((a, b) => (a.stamp < b.stamp ? -1 : 1))
  return [...CONCERN_CATEGORIES.filter((c) => !retired.has(c)), ...added.map((r) => r.id)]
}

/** A new category's name: said once, not the same as one on the list. */
export function checkCategoryName(name: string, taken: readonly string[]): Problems<'name'> {
  const problems: Problems<'name'> = {}
  checkText(problems, 'name', name.trim(), { required: true, max: CATEGORY_NAME_MAX })
  if (!problems.name && taken.includes(name.trim())) problems.name = 'problem.alreadyIn'
  return problems
}
/** How it came in: on the reporter's own phone, a phone call, a walk-in at the 代办点, a grid patrol. */
export const CONCERN_SOURCES = ['app', 'phone', 'walkIn', 'patrol'] as const
export type ConcernSource = (typeof CONCERN_SOURCES)[number]

export const WHAT_MAX = 500
export const WHERE_MAX = 30
export const NOTE_MAX = 500

const Box = v.object({ iv: v.pipe(v.string(), v.maxLength(40)), box: v.pipe(v.string(), v.maxLength(2000)) })
const SealedKey = v.object({ from: v.pipe(v.string(), v.maxLength(60)), iv: v.pipe(v.string(), v.maxLength(40)), box: v.pipe(v.string(), v.maxLength(200)) })

/**
 * A private concern's words (what, where, whose), sealed: AES-GCM under a key of its
 * own, bound to the concern's id; that key sealed to staff's drop box (the canteen's,
 * domain/canteen.ts) and to the reporter's device. Staff's notes on it are sealed under
 * the same key (ConcernEvent `sealed`).
 */
export const SealedConcernSchema = v.object({
  staff: v.object({ to: v.pipe(v.string(), v.maxLength(60)), ...SealedKey.entries }),
  own: v.pipe(v.record(v.pipe(v.string(), v.maxLength(60)), SealedKey), v.check((own) => Object.keys(own).length <= 8, 'too many')),
  ...Box.entries,
})
export type SealedConcern = v.InferOutput<typeof SealedConcernSchema>
/** What a private concern seals. */
export const PrivateWordsSchema = v.object({ what: v.pipe(v.string(), v.minLength(1), v.maxLength(WHAT_MAX)), where: v.pipe(v.string(), v.maxLength(WHERE_MAX)), forName: v.pipe(v.string(), v.maxLength(30)), reportedByName: v.pipe(v.string(), v.maxLength(30)) })
export type PrivateWords = v.InferOutput<typeof PrivateWordsSchema>
/** What a step on a private concern seals. */
export const PrivateNoteSchema = v.object({ note: v.optional(v.pipe(v.string(), v.maxLength(NOTE_MAX))), to: v.optional(v.pipe(v.string(), v.maxLength(60))), assignee: v.optional(v.pipe(v.string(), v.maxLength(30))) })
export type PrivateNote = v.InferOutput<typeof PrivateNoteSchema>

export const ConcernSchema = v.pipe(v.object({
  id: IdSchema,
  category: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  /** Empty when the concern is private (its words are in `sealed`). */
  what: v.pipe(v.string(), v.maxLength(WHAT_MAX)),
  /** A grid or a building: never a door in the public space. */
  where: v.pipe(v.string(), v.maxLength(WHERE_MAX)),
  source: v.picklist(CONCERN_SOURCES),
  /** Whose concern it is: the reporter, or a resident they took it from (a call, a visit). */
  forId: v.string(),
  forName: v.pipe(v.string(), v.maxLength(30)),
  reportedBy: v.string(),
  reportedByName: v.pipe(v.string(), v.maxLength(30)),
  stamp: StampSchema,
  sealed: v.optional(SealedConcernSchema),
}),
  v.check((c) => stampAgreesWithId(c.id, c.stamp), 'its first stamp is not the one its id was made with'),
  // A private concern says nothing in the clear; any other says what and whose.
  v.check((c) => (c.sealed ? c.what === '' && c.where === '' && c.forName === '' && c.reportedByName === '' : c.what.length > 0 && c.forName.length > 0), 'private words in the clear, or none at all'))
export type Concern = v.InferOutput<typeof ConcernSchema>

/** A photo is at most this many bytes (JPEG), shrunk on the phone that took it. */
export const PHOTO_MAX_BYTES = 300 * 1024
/** Base64 in parts of this many characters: each part is a short string, as every record's text is (store/collection.ts). */
export const PHOTO_PART = 2000

/** A concern's photo (随手拍), beside it under "<concern id>|photo": written once, with the concern. */
export const ConcernPhotoSchema = v.pipe(
  v.object({
    id: v.string(),
    concernId: IdSchema,
    byId: v.string(),
    type: v.literal('image/jpeg'),
    width: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096)),
    height: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4096)),
    parts: v.pipe(v.array(v.pipe(v.string(), v.maxLength(PHOTO_PART), v.regex(/^[A-Za-z0-9+/=]*$/))), v.minLength(1), v.maxLength(Math.ceil((PHOTO_MAX_BYTES * 4) / 3 / PHOTO_PART) + 1)),
    stamp: StampSchema,
  }),
  v.check((p) => p.id === photoKey(p.concernId), 'id does not match what it belongs to'),
)
export type ConcernPhoto = v.InferOutput<typeof ConcernPhotoSchema>
export const photoKey = (concernId: string) => `${concernId}|photo`

/** A photo as the form holds it: base64 JPEG and its size. */
export interface PhotoInput {
  base64: string
  width: number
  height: number
}

/** Splits a photo into its parts; null if it is larger than a photo may be. */
export function photoParts(photo: PhotoInput): string[] | null {
  if ((photo.base64.length * 3) / 4 > PHOTO_MAX_BYTES || !/^[A-Za-z0-9+/=]+$/.test(photo.base64)) return null
  const parts: string[] = []
  for (let i = 0; i < photo.base64.length; i += PHOTO_PART) parts.push(photo.base64.slice(i, i + PHOTO_PART))
  return parts
}

/** Staff's steps, then the reporter's. */
export const STAFF_STEPS = ['accept', 'passUp', 'answer', 'resolve', 'note'] as const
export const CONCERN_STEPS = [...STAFF_STEPS, 'rate', 'withdraw'] as const
export type ConcernStep = (typeof CONCERN_STEPS)[number]
export const SATISFACTION = ['satisfied', 'basic', 'unsatisfied'] as const
export type Satisfaction = (typeof SATISFACTION)[number]

const text = (max: number) => v.pipe(v.string(), v.maxLength(max))

export const ConcernEventSchema = v.pipe(
  v.object({
    id: v.string(),
    concernId: IdSchema,
    type: v.picklist(CONCERN_STEPS),
    byId: v.string(),
    byName: v.string(),
    stamp: StampSchema,
    /** answer: the reply; resolve: what was done; passUp: what was sent; rate: the reason; note: progress. */
    note: v.optional(text(NOTE_MAX)),
    /** accept: who handles it, by when. */
    assignee: v.optional(text(30)),
    due: v.optional(DaySchema),
    /** passUp: the office or department it went to. */
    to: v.optional(text(60)),
    /** rate: whether the reporter says it was solved, and how satisfied they are. */
    solved: v.optional(v.boolean()),
    satisfaction: v.optional(v.picklist(SATISFACTION)),
    /** A step on a private concern: its note, office and assignee, sealed under the concern's key (PrivateNote). */
    sealed: v.optional(Box),
  }),
  v.check((e) => e.id === concernEventKey(e.concernId, e.stamp), 'id does not match what it belongs to'),
)
export type ConcernEvent = v.InferOutput<typeof ConcernEventSchema>

export const concernEventKey = (concernId: string, stamp: Stamp) => `${concernId}|${stamp}`
/** Staff's steps: the signature gate refuses them from anyone else (domain/collections.ts). */
/** Whether a concern is private: its words are sealed to staff and its reporter. */
export const isPrivate = (concern: Pick<Concern, 'sealed'>): boolean => concern.sealed !== undefined

export const isStaffStep = (type: string): boolean => (STAFF_STEPS as readonly string[]).includes(type)

// ---- The lifecycle ----------------------------------------------------------------

export const CONCERN_STATES = ['new', 'handling', 'passedUp', 'answered', 'resolved', 'closed', 'withdrawn'] as const
export type ConcernState = (typeof CONCERN_STATES)[number]

export interface ConcernStatus {
  state: ConcernState
  /** The first step staff took: the response (响应). */
  respondedAt: Stamp | null
  assignee: string | null
  due: Day | null
  /** Where it was passed up to, what was sent, and when. */
  passedUp: { to: string; sent: string; at: Stamp } | null
  /** The reply or what was done, when staff said it was handled. */
  outcome: string
  handledAt: Stamp | null
  closedAt: Stamp | null
  rating: { solved: boolean; satisfaction: Satisfaction; note: string } | null
  /** Reopened by an unsatisfied reporter (once at most). */
  reopened: number
  /** The last step that counted. */
  lastStepAt: Stamp
  history: { event: ConcernEvent; applied: boolean }[]
}

const OPEN: readonly ConcernState[] = ['new', 'handling', 'passedUp']

/** Who may take which step in which state. The reporter is whoever it is for, or whoever wrote it down for them. */
export function allowedStep(status: Pick<ConcernStatus, 'state'>, event: Pick<ConcernEvent, 'type' | 'byId'>, concern: Pick<Concern, 'forId' | 'reportedBy'>, isStaff: (id: string) => boolean): boolean {
  const staff = isStaff(event.byId)
  const reporter = event.byId === concern.forId || event.byId === concern.reportedBy
  const { state } = status
  switch (event.type) {
    case 'accept':
      return staff && OPEN.includes(state)
    case 'passUp':
      return staff && (state === 'new' || state === 'handling')
    case 'answer':
      return staff && OPEN.includes(state)
    case 'resolve':
      return staff && (state === 'handling' || state === 'passedUp')
    case 'note':
      return staff && state !== 'closed' && state !== 'withdrawn'
    // Staff may write down a rating a resident gave by phone or at the desk.
    case 'rate':
      return (reporter || staff) && (state === 'answered' || state === 'resolved')
    case 'withdraw':
      return reporter && state === 'new'
  }
}

export function concernStatus(concern: Concern, events: readonly ConcernEvent[], isStaff: (id: string) => boolean): ConcernStatus {
  const status: ConcernStatus = { state: 'new', respondedAt: null, assignee: null, due: null, passedUp: null, outcome: '', handledAt: null, closedAt: null, rating: null, reopened: 0, lastStepAt: concern.stamp, history: [] }
  const ordered = events.filter((e) => e.concernId === concern.id).sort((a, b) => compareStamps(a.stamp, b.stamp))
  for (const event of ordered) {
    const ok = allowedStep(status, event, concern, isStaff)
    status.history.push({ event, applied: ok })
    if (!ok) continue
    status.lastStepAt = event.stamp
    if (isStaffStep(event.type)) status.respondedAt ??= event.stamp
    switch (event.type) {
      case 'accept':
        status.state = 'handling'
        status.assignee = event.assignee || event.byName
        status.due = event.due ?? null
        break
      case 'passUp':
        status.state = 'passedUp'
        status.passedUp = { to: event.to ?? '', sent: event.note ?? '', at: event.stamp }
        break
      case 'answer':
      case 'resolve':
        status.state = event.type === 'answer' ? 'answered' : 'resolved'
        status.outcome = event.note ?? ''
        status.handledAt = event.stamp
        break
      case 'note':
        break
      case 'rate': {
        const rating = { solved: event.solved ?? false, satisfaction: event.satisfaction ?? 'unsatisfied', note: event.note ?? '' }
        status.rating = rating
        // Unsatisfied reopens it, once: the second time it closes as rated.
        if (rating.satisfaction === 'unsatisfied' && status.reopened === 0) {
          status.reopened = 1
          status.state = 'handling'
          status.handledAt = null
        } else {
          status.state = 'closed'
          status.closedAt = event.stamp
        }
        break
      }
      case 'withdraw':
        status.state = 'withdrawn'
        break
    }
  }
  return status
}

// ---- Drafts --------------------------------------------------------------------

export interface ConcernDraft {
  category: ConcernCategory
  what: string
  where: string
  source: ConcernSource
  /** Empty: the reporter's own. Otherwise the resident it was taken from. */
  forName: string
  /** Only staff and the reporter see its words (sealed). */
  private?: boolean
}
export type ConcernField = keyof ConcernDraft

/** `categories`: the list staff keep now (categoryList). */
export function checkConcernDraft(draft: ConcernDraft, categories: readonly ConcernCategory[] = CONCERN_CATEGORIES): Checked<ConcernDraft, ConcernField> {
  const problems: Problems<ConcernField> = {}
  checkText(problems, 'what', draft.what, { required: true, max: WHAT_MAX })
  checkText(problems, 'where', draft.where, { required: false, max: WHERE_MAX })
  if (!problems.where && looksLikeFullAddress(draft.where)) problems.where = 'problem.fullAddress'
  checkText(problems, 'forName', draft.forName, { required: false, max: 30 })
  if (!categories.includes(draft.category)) problems.category = 'problem.required'
  if (!(CONCERN_SOURCES as readonly string[]).includes(draft.source)) problems.source = 'problem.required'
  return checked({ ...draft, what: draft.what.trim(), where: draft.where.trim(), forName: draft.forName.trim(), private: draft.private === true }, problems)
}

export interface StepInput {
  note?: string
  assignee?: string
  due?: string
  to?: string
  solved?: boolean
  satisfaction?: Satisfaction
}
export type StepField = keyof StepInput

/** What each step must carry: a reply, what was sent and where, a reason for being unsatisfied. */
export function checkStep(type: ConcernStep, input: StepInput, today: Day): Checked<StepInput, StepField> {
  const problems: Problems<StepField> = {}
  const note = (input.note ?? '').trim()
  const needsNote = type === 'answer' || type === 'resolve' || type === 'passUp' || type === 'note' || (type === 'rate' && input.satisfaction === 'unsatisfied')
  checkText(problems, 'note', note, { required: needsNote, max: NOTE_MAX })
  if (type === 'passUp') checkText(problems, 'to', (input.to ?? '').trim(), { required: true, max: 60 })
  if (type === 'accept') {
    checkText(problems, 'assignee', (input.assignee ?? '').trim(), { required: false, max: 30 })
    if (input.due) {
      if (!isDay(input.due)) problems.due = 'problem.badDate'
      else if (input.due < today) problems.due = 'problem.dateInPast'
    }
  }
  if (type === 'rate') {
    if (!input.satisfaction || !(SATISFACTION as readonly string[]).includes(input.satisfaction)) problems.satisfaction = 'problem.required'
    if (typeof input.solved !== 'boolean') problems.solved = 'problem.required'
  }
  return checked({ ...input, note, ...(input.to !== undefined ? { to: input.to.trim() } : {}), ...(input.assignee !== undefined ? { assignee: input.assignee.trim() } : {}) }, problems)
}

// ---- Follow-up (督办) --------------------------------------------------------------

/** A new concern left a day, one being handled past its due date, one passed up and not heard of for two weeks. */
export function isOverdue(concern: Concern, status: ConcernStatus, today: Day): boolean {
  switch (status.state) {
    case 'new':
      return plusDays(stampDay(concern.stamp), 1) < today
    case 'handling':
      return status.due !== null && status.due < today
    case 'passedUp':
      return plusDays(stampDay(status.lastStepAt), 14) < today
    default:
      return false
  }
}

// ---- Counting as the field counts ---------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000
const hoursBetween = (from: Stamp, to: Stamp) => ((parseStamp(to)?.wallMs ?? 0) - (parseStamp(from)?.wallMs ?? 0)) / (DAY_MS / 24)

export interface ConcernCounts {
  /** 受理: reported in the month (withdrawn ones aside). */
  received: number
  /** Staff's first step within 24 hours of the report. */
  respondedInDay: number
  /** Passed up (转办) at some point. */
  passedUp: number
  /** Rated by the reporter (参评), of which solved and satisfied (满意 or 基本满意). */
  rated: number
  solved: number
  satisfied: number
  /** 办结: closed with the reporter's rating; handled and waiting for it is not finished. */
  finished: number
  withdrawn: number
}

export interface ConcernRates {
  /** 响应率 = responded within 24 h ÷ received. */
  response: number | null
  /** 解决率 = rated solved ÷ rated. */
  resolution: number | null
  /** 满意率 = satisfied or fairly satisfied ÷ rated. */
  satisfaction: number | null
  /** 办结率 = finished ÷ received. */
  finish: number | null
}

export interface ConcernReport {
  month: string
  total: ConcernCounts
  /** Each category's counts, in the order of `rows`. */
  byCategory: Record<ConcernCategory, ConcernCounts>
  /** The categories on the list, then any other a concern of the month was reported under, each with its counts. */
  rows: { category: ConcernCategory; counts: ConcernCounts }[]
  rates: ConcernRates
}

const zero = (): ConcernCounts => ({ received: 0, respondedInDay: 0, passedUp: 0, rated: 0, solved: 0, satisfied: 0, finished: 0, withdrawn: 0 })
const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole)

export const ratesOf = (c: ConcernCounts): ConcernRates => ({
  response: ratio(c.respondedInDay, c.received),
  resolution: ratio(c.solved, c.rated),
  satisfaction: ratio(c.satisfied, c.rated),
  finish: ratio(c.finished, c.received),
})

/** Concerns reported in `month` (by their report day), counted as of now: by each category on the list, and any other they were reported under. */
export function concernReport(items: readonly { concern: Concern; status: ConcernStatus }[], month: string, categories: readonly ConcernCategory[] = CONCERN_CATEGORIES): ConcernReport {
  const total = zero()
  const byCategory: Record<ConcernCategory, ConcernCounts> = Object.fromEntries(categories.map((c) => [c, zero()]))
  for (const { concern, status } of items) {
    if (!stampDay(concern.stamp).startsWith(month)) continue
    for (const counts of [total, (byCategory[concern.category] ??= zero())]) {
      if (status.state === 'withdrawn') {
        counts.withdrawn++
        continue
      }
      counts.received++
      if (status.respondedAt && hoursBetween(concern.stamp, status.respondedAt) <= 24) counts.respondedInDay++
      if (status.passedUp) counts.passedUp++
      if (status.state === 'closed') counts.finished++
      if (status.rating && status.state === 'closed') {
        counts.rated++
        if (status.rating.solved) counts.solved++
        if (status.rating.satisfaction !== 'unsatisfied') counts.satisfied++
      }
    }
  }
  return { month, total, byCategory, rows: Object.entries(byCategory).map(([category, counts]) => ({ category, counts })), rates: ratesOf(total) }
}

// ---- Open311 GeoReport v2 ----------------------------------------------------------

/** A GeoReport v2 service (GET services): one per category. */
export interface Open311Service {
  service_code: string
  service_name: string
  description: string
  metadata: boolean
  type: 'realtime' | 'batch' | 'blackbox'
  keywords: string
  group: string
}

/** A GeoReport v2 service request (GET requests). */
export interface Open311Request {
  service_request_id: string
  status: 'open' | 'closed'
  status_notes: string | null
  service_name: string
  service_code: string
  description: string
  agency_responsible: string | null
  service_notice: string | null
  requested_datetime: string
  updated_datetime: string
  expected_datetime: string | null
  address: string | null
  address_id: string | null
  zipcode: string | null
  lat: number | null
  long: number | null
  media_url: string | null
}

const isoOf = (stamp: Stamp) => new Date(parseStamp(stamp)?.wallMs ?? 0).toISOString()

/**
 * The concerns as GeoReport v2 (services and requests), for a street office system or a
 * civic tool that reads that standard. Nothing names a person: the description is what
 * was reported, the address a grid or building. `name` says each category in the
 * reader's language; the community is the agency until a concern is passed up.
 */
export function open311(items: readonly { concern: Concern; status: ConcernStatus }[], name: (category: ConcernCategory) => string, community: string, categories: readonly ConcernCategory[] = CONCERN_CATEGORIES): { services: Open311Service[]; requests: Open311Request[] } {
  // Every category on the list, and any a concern was reported under before it was taken off.
  const codes = [...new Set([...categories, ...items.map((i) => i.concern.category)])]
  const services = codes.map((code) => ({ service_code: code, service_name: name(code), description: name(code), metadata: false, type: 'realtime' as const, keywords: code, group: community }))
  const requests = items.map(({ concern, status }): Open311Request => {
    const closed = status.state === 'closed' || status.state === 'withdrawn'
    // A private concern exports its kind and state only.
    const hidden = isPrivate(concern)
    const notes = hidden ? '' : [status.passedUp ? `→ ${status.passedUp.to}` : '', status.outcome, status.rating?.note ?? ''].filter(Boolean).join(' · ')
    return {
      service_request_id: concern.id,
      status: closed ? 'closed' : 'open',
      status_notes: notes || null,
      service_name: name(concern.category),
      service_code: concern.category,
      description: concern.what,
      agency_responsible: (!hidden && status.passedUp?.to) || community,
      service_notice: null,
      requested_datetime: isoOf(concern.stamp),
      updated_datetime: isoOf(status.lastStepAt),
      expected_datetime: status.due ? `${status.due}T23:59:59.000Z` : null,
      address: concern.where || null,
      address_id: null,
      zipcode: null,
      lat: null,
      long: null,
      media_url: null,
    }
  })
  return { services, requests }
}

/** Newest first; within a list for staff, the ones to act on first. */
export const newestFirst = <T extends { concern: Concern }>(items: readonly T[]): T[] => [...items].sort((a, b) => compareStamps(b.concern.stamp, a.concern.stamp))
