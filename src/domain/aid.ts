import * as v from 'valibot'
import { IdSchema, stampAgreesWithId } from './ids'
import { compareStamps, parseStamp, StampSchema, type Stamp } from './hlc'
import { DaySchema } from './schedule'
import { isDay, type Day } from './calendar'
import { checked, checkText, type Checked, type ProblemKey, type Problems } from './validation'

// Mutual aid (邻里互助): needs and offers, micro-wishes (微心愿), order → dispatch →
// take (点单、派单、接单), and errands on a resident's behalf (全程代办) with a stub and
// a receipt (两单制). A request's state is never stored: every step is its own
// event entry, and the state is derived by replaying the events in HLC order
// through the rules below. So two volunteers who take the same need offline end up,
// on every device, with the same single taker: the first take in HLC order.

export const AID_KINDS = ['need', 'offer'] as const
export const AID_CATEGORIES = ['errand', 'paperwork', 'repair', 'companionship', 'escort', 'items', 'other'] as const
export const URGENCIES = ['low', 'normal', 'urgent'] as const
export type AidKind = (typeof AID_KINDS)[number]
export type AidCategory = (typeof AID_CATEGORIES)[number]
export type Urgency = (typeof URGENCIES)[number]

export const TITLE_MAX = 60
export const DETAILS_MAX = 1000
export const WHERE_MAX = 30
export const WHEN_MAX = 40
export const MATERIAL_MAX = 40
export const MATERIALS_MAX = 20

const stamp = StampSchema
const id = IdSchema

export const AidRequestSchema = v.pipe(v.object({
  id,
  kind: v.picklist(AID_KINDS),
  category: v.picklist(AID_CATEGORIES),
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(TITLE_MAX)),
  details: v.pipe(v.string(), v.maxLength(DETAILS_MAX)),
  when: v.pipe(v.string(), v.maxLength(WHEN_MAX)),
  /** Grid or building only: never a door number in the public space. */
  where: v.pipe(v.string(), v.maxLength(WHERE_MAX)),
  urgency: v.picklist(URGENCIES),
  /** Who it is for: the poster, or a resident the poster acts for (代办). */
  forId: v.string(),
  forName: v.pipe(v.string(), v.minLength(1), v.maxLength(30)),
  postedBy: v.string(),
  postedByName: v.string(),
  stamp,
  editedAt: stamp,
  /** Paperwork errands only: the registration number, the materials, the due date. */
  number: v.optional(v.pipe(v.string(), v.maxLength(40))),
  materials: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(MATERIAL_MAX))), v.maxLength(MATERIALS_MAX))),
  due: v.optional(DaySchema),
  /** Paperwork errands: the service on the 代办 point's list it was registered under (domain/errands.ts). */
  serviceId: v.optional(IdSchema),
}), v.check((r) => stampAgreesWithId(r.id, r.stamp), 'its first stamp is not the one its id was made with'))
export type AidRequest = v.InferOutput<typeof AidRequestSchema>

export const AID_EVENTS = ['take', 'dispatch', 'accept', 'decline', 'withdraw', 'received', 'passedOn', 'done', 'receiptBack', 'confirm', 'notDone'] as const
export type AidEventType = (typeof AID_EVENTS)[number]

export const AidEventSchema = v.pipe(
  v.object({
    id: v.string(),
    requestId: id,
    type: v.picklist(AID_EVENTS),
    byId: v.string(),
    byName: v.string(),
    stamp,
    /** take / dispatch: the volunteer who will do it. */
    volunteerId: v.optional(v.string()),
    volunteerName: v.optional(v.string()),
    note: v.optional(v.pipe(v.string(), v.maxLength(500))),
    stars: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5))),
    /** dispatch: offered to the volunteer, who accepts or declines (派单 → 接单). A dispatch without it (an older build's) gave the request to them at once. */
    offer: v.optional(v.literal(true)),
  }),
  v.check((e) => e.id === eventKey(e.requestId, e.stamp), 'id does not match what it belongs to'),
)
export type AidEvent = v.InferOutput<typeof AidEventSchema>

export const eventKey = (requestId: string, s: Stamp) => `${requestId}|${s}`

// ---- The lifecycle ----------------------------------------------------------------

export const AID_STATES = ['open', 'offered', 'taken', 'done', 'closed', 'withdrawn'] as const
export type AidState = (typeof AID_STATES)[number]

export interface AidStatus {
  state: AidState
  taker: { id: string; name: string; how: 'take' | 'dispatch' } | null
  /** Dispatched and waiting for this volunteer to accept or decline, since `at`. */
  offered: { id: string; name: string; at: Stamp } | null
  /** When someone first took it (for "completion rate") and when it was reported done. */
  takenAt: Stamp | null
  doneAt: Stamp | null
  doneNote: string
  materialsReceived: boolean
  /** Errands: when the 代办员 handed it to the office (送办), and when the receipt came back to the 代办 point. */
  passedOnAt: Stamp | null
  receiptBackAt: Stamp | null
  rating: { stars: number; comment: string } | null
  /** Events in HLC order, each marked whether the rules let it count. */
  history: { event: AidEvent; applied: boolean }[]
}

/** Who may do what: staff, and (for paperwork errands) the 代办员 staff appointed. */
export interface AidRoles {
  isStaff: (id: string) => boolean
  /** Whether a person is a 代办员; without it (older callers, tests), anyone who helps may take an errand. */
  isAgent?: (id: string) => boolean
}

/**
 * Who may do what, in which state. Requester = the person it is for, or whoever
 * posted it for them; staff may dispatch (and dispatch again while an offer waits);
 * only the volunteer offered it accepts or declines; the taker reports done. A
 * paperwork errand is taken only by a 代办员 or staff, and its receipt is collected
 * back at the 代办 point, by staff, once.
 */
export function allowed(status: Pick<AidStatus, 'state' | 'taker' | 'offered'> & Partial<Pick<AidStatus, 'receiptBackAt'>>, event: Pick<AidEvent, 'type' | 'byId'>, request: Pick<AidRequest, 'forId' | 'postedBy'> & Partial<Pick<AidRequest, 'category'>>, isStaff: (id: string) => boolean, isAgent: (id: string) => boolean = () => true): boolean {
  const isRequester = event.byId === request.forId || event.byId === request.postedBy
  const isTaker = status.taker !== null && event.byId === status.taker.id
  const errand = request.category === 'paperwork'
  switch (event.type) {
    case 'take':
      return status.state === 'open' && (!errand || isAgent(event.byId) || isStaff(event.byId))
    case 'dispatch':
      return (status.state === 'open' || status.state === 'offered') && isStaff(event.byId)
    case 'accept':
    case 'decline':
      return status.state === 'offered' && event.byId === status.offered?.id
    case 'withdraw':
      return (status.state === 'open' || status.state === 'offered') && (isRequester || isStaff(event.byId))
    case 'received':
    case 'passedOn':
      return status.state === 'taken' && (isTaker || isStaff(event.byId))
    case 'done':
      return status.state === 'taken' && (isTaker || isStaff(event.byId))
    case 'receiptBack':
      return errand && (status.state === 'done' || status.state === 'closed') && !status.receiptBackAt && isStaff(event.byId)
    case 'confirm':
    case 'notDone':
      return status.state === 'done' && (isRequester || isStaff(event.byId))
  }
}

export function deriveStatus(request: AidRequest, events: readonly AidEvent[], isStaff: (id: string) => boolean = () => false, isAgent?: (id: string) => boolean): AidStatus {
  const status: AidStatus = { state: 'open', taker: null, offered: null, takenAt: null, doneAt: null, doneNote: '', materialsReceived: false, passedOnAt: null, receiptBackAt: null, rating: null, history: [] }
  const ordered = events.filter((e) => e.requestId === request.id).sort((a, b) => compareStamps(a.stamp, b.stamp))
  for (const event of ordered) {
    const ok = allowed(status, event, request, isStaff, isAgent)
    status.history.push({ event, applied: ok })
    if (!ok) continue
    switch (event.type) {
      case 'dispatch':
        if (event.offer) {
          status.state = 'offered'
          status.offered = { id: event.volunteerId ?? event.byId, name: event.volunteerName ?? event.byName, at: event.stamp }
          break
        }
        status.state = 'taken'
        status.taker = { id: event.volunteerId ?? event.byId, name: event.volunteerName ?? event.byName, how: 'dispatch' }
        status.takenAt ??= event.stamp
        break
      case 'take':
        status.state = 'taken'
        status.taker = { id: event.byId, name: event.byName, how: 'take' }
        status.takenAt ??= event.stamp
        break
      case 'accept':
        status.state = 'taken'
        status.taker = { ...status.offered!, how: 'dispatch' }
        status.offered = null
        status.takenAt ??= event.stamp
        break
      case 'decline':
        status.state = 'open'
        status.offered = null
        break
      case 'withdraw':
        status.state = 'withdrawn'
        status.offered = null
        break
      case 'received':
        status.materialsReceived = true
        break
      case 'passedOn':
        status.passedOnAt ??= event.stamp
        break
      case 'receiptBack':
        status.receiptBackAt = event.stamp
        break
      case 'done':
        status.state = 'done'
        status.doneAt = event.stamp
        status.doneNote = event.note ?? ''
        break
      case 'confirm':
        status.state = 'closed'
        status.rating = event.stars ? { stars: event.stars, comment: event.note ?? '' } : null
        break
      case 'notDone':
        // Reopens for anyone to take again; the old taker is released.
        status.state = 'open'
        status.taker = null
        status.doneAt = null
        status.materialsReceived = false
        status.passedOnAt = null
        break
    }
  }
  return status
}

/**
 * A need nobody has taken for a day: open since it was posted or last declined, or
 * offered to a volunteer who has not answered. Staff follow these up.
 */
export function isUnclaimed(request: AidRequest, status: AidStatus, nowMs: number): boolean {
  const dayAgo = nowMs - 24 * 60 * 60 * 1000
  const since = (stamp: Stamp) => (parseStamp(stamp)?.wallMs ?? nowMs) < dayAgo
  if (request.kind !== 'need') return false
  if (status.state === 'offered') return since(status.offered!.at)
  if (status.state !== 'open') return false
  const reopened = status.history.filter((h) => h.applied && (h.event.type === 'decline' || h.event.type === 'notDone')).at(-1)
  return since(reopened?.event.stamp ?? request.stamp)
}

/** A take by this person that lost to an earlier one: they must be told. */
export function lostTake(status: AidStatus, personId: string): boolean {
  return status.history.some((h) => !h.applied && h.event.type === 'take' && h.event.byId === personId) && status.taker?.id !== personId
}

// ---- Drafts --------------------------------------------------------------------

export interface AidDraft {
  kind: AidKind
  category: AidCategory
  title: string
  details: string
  when: string
  where: string
  urgency: Urgency
  /** Empty: for myself. Otherwise the name of the resident it is for. */
  forName: string
  materials: string[]
  due: string
  /** Paperwork: the service on the 代办 point's list (empty: none chosen). */
  serviceId?: string
}

export type AidField = keyof AidDraft

/** Door and room numbers give away a home: grids and buildings only (e.g. "3号楼", "第二网格"). */
export function looksLikeFullAddress(where: string): boolean {
  return /\d+\s*(室|户)|单元\s*\d|\d+\s*-\s*\d+\s*-?\s*\d*|\d{3,}\s*$/.test(where)
}

export function checkAidDraft(draft: AidDraft, today: Day): Checked<AidDraft, AidField> {
  const problems: Problems<AidField> = {}
  checkText(problems, 'title', draft.title, { required: true, max: TITLE_MAX })
  checkText(problems, 'details', draft.details, { required: false, max: DETAILS_MAX })
  checkText(problems, 'when', draft.when, { required: false, max: WHEN_MAX })
  checkText(problems, 'where', draft.where, { required: false, max: WHERE_MAX })
  if (!problems.where && looksLikeFullAddress(draft.where)) problems.where = 'problem.fullAddress'
  checkText(problems, 'forName', draft.forName, { required: false, max: 30 })
  if (!(AID_KINDS as readonly string[]).includes(draft.kind)) problems.kind = 'problem.required'
  if (!(AID_CATEGORIES as readonly string[]).includes(draft.category)) problems.category = 'problem.required'
  if (!(URGENCIES as readonly string[]).includes(draft.urgency)) problems.urgency = 'problem.required'
  const materials = draft.materials.map((m) => m.trim()).filter(Boolean)
  if (materials.length > MATERIALS_MAX || materials.some((m) => m.length > MATERIAL_MAX)) problems.materials = 'problem.tooLong'
  if (draft.category === 'paperwork' && draft.due !== '') {
    if (!isDay(draft.due)) problems.due = 'problem.badDate'
    else if (draft.due < today) problems.due = 'problem.dateInPast'
  }
  return checked(
    { ...draft, title: draft.title.trim(), details: draft.details.trim(), when: draft.when.trim(), where: draft.where.trim(), forName: draft.forName.trim(), materials },
    problems,
  )
}

export function checkRatingStars(stars: number): ProblemKey | undefined {
  return Number.isInteger(stars) && stars >= 1 && stars <= 5 ? undefined : 'problem.starsOneToFive'
}

/**
 * A registration number no other device can make: the day, six characters of the
 * device id (random, so two devices clash about once in two billion pairs) and
 * this device's own count of errands that day, e.g. "DB261123-K7Q2X9-1" (private
 * errands count apart, "DB261123-K7Q2X9-P1", as they are kept in the staff space).
 */
export function errandNumber(day: Day, deviceId: string, countToday: number, kind: '' | 'P' = ''): string {
  return `DB${day.slice(2).replace(/-/g, '')}-${deviceId.slice(0, 6).toUpperCase()}-${kind}${countToday + 1}`
}

// ---- Browsing -------------------------------------------------------------------

const URGENCY_RANK: Record<Urgency, number> = { urgent: 0, normal: 1, low: 2 }

/** Most urgent first, then newest; categories this volunteer helps with come first of all. */
export function browseOrder(requests: readonly AidRequest[], helpsWith: ReadonlySet<AidCategory> = new Set()): AidRequest[] {
  return [...requests].sort((a, b) => {
    const preferred = Number(helpsWith.has(b.category)) - Number(helpsWith.has(a.category))
    if (preferred !== 0) return preferred
    const urgency = URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency]
    if (urgency !== 0) return urgency
    return compareStamps(b.stamp, a.stamp)
  })
}

// ---- The staff overview ----------------------------------------------------------

export interface AidOverview {
  total: number
  byCategory: Record<AidCategory, number>
  byState: Record<AidState, number>
  taken: number
  /** Reported done, whether confirmed or not. */
  done: number
  /** 受理: posted in the month and not withdrawn. */
  received: number
  /** 办结: confirmed by the requester (done and waiting for confirmation is not finished). */
  finished: number
  /** 办结率 = finished ÷ received (requests nobody took count as not finished); null when none were received. */
  finishRate: number | null
  /** Minutes from posting to reported done, the median; null when nothing is done. */
  medianMinutesToDone: number | null
  ratings: number
  /** Share of ratings of 4 or 5; under 0.9 calls for rework. */
  satisfactionRate: number | null
  overdue: AidRequest[]
}

const minutesBetween = (a: Stamp, b: Stamp) => ((parseStamp(b)?.wallMs ?? 0) - (parseStamp(a)?.wallMs ?? 0)) / 60_000

/** Requests posted in `month` ('YYYY-MM', by their posting day). */
export function overview(items: readonly { request: AidRequest; status: AidStatus; postedDay: Day }[], month: string, today: Day): AidOverview {
  const inMonth = items.filter((i) => i.postedDay.startsWith(month))
  const byCategory = Object.fromEntries(AID_CATEGORIES.map((c) => [c, 0])) as Record<AidCategory, number>
  const byState = Object.fromEntries(AID_STATES.map((s) => [s, 0])) as Record<AidState, number>
  const durations: number[] = []
  let taken = 0
  let done = 0
  let finished = 0
  let ratings = 0
  let satisfied = 0
  for (const { request, status } of inMonth) {
    byCategory[request.category]++
    byState[status.state]++
    if (status.takenAt) taken++
    if (status.state === 'closed') finished++
    if (status.state === 'done' || status.state === 'closed') {
      done++
      if (status.doneAt) durations.push(minutesBetween(request.stamp, status.doneAt))
    }
    if (status.rating) {
      ratings++
      if (status.rating.stars >= 4) satisfied++
    }
  }
  durations.sort((a, b) => a - b)
  const mid = Math.floor(durations.length / 2)
  const median = durations.length === 0 ? null : durations.length % 2 ? durations[mid]! : (durations[mid - 1]! + durations[mid]!) / 2
  return {
    total: inMonth.length,
    byCategory,
    byState,
    taken,
    done,
    received: inMonth.length - byState.withdrawn,
    finished,
    finishRate: inMonth.length - byState.withdrawn === 0 ? null : finished / (inMonth.length - byState.withdrawn),
    medianMinutesToDone: median === null ? null : Math.round(median),
    ratings,
    satisfactionRate: ratings === 0 ? null : satisfied / ratings,
    overdue: items
      .filter((i) => i.request.due && i.request.due < today && (i.status.state === 'open' || i.status.state === 'taken'))
      .map((i) => i.request),
  }
}
