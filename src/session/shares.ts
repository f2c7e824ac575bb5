import type { Actor } from '../domain/actor'
import { today } from '../domain/calendar'
import type { Elder, Round } from '../domain/canteen'
import type { HybridClock } from '../domain/hlc'
import type { SharedErrandStep, SharedMark, SharedVisit } from '../domain/shares'
import type { AgentStepType } from '../domain/errands'
import type { Person } from '../store/places'
import type { Checked } from '../domain/validation'
import { checkVisitNote, helpForHousehold, type Household, type Outcome, type Visit } from '../domain/visits'
import { postRequest } from '../store/aid'
import type { LiveShareData } from '../store/shares'
import type { SpaceDocs } from '../store/space-docs'
import type { CommunityTrust } from '../trust/grants'
import type { DeviceKeys } from '../trust/keys'
import type { OpenedShare } from '../trust/shares'

// Rounds and visits sealed to a volunteer's devices (trust/shares.ts, loaded when first
// used, not with the first screen): opened and answered on the volunteer's devices,
// sealed by staff.

type Reply = LiveShareData['replies']['byId'][string]

export interface Shares {
  data: LiveShareData
  /** This device's signing key, which shares for it are sealed under; null without device keys. */
  deviceKey(): Promise<string | null>
  open(share: LiveShareData['shares']['byId'][string]): Promise<OpenedShare | null>
  mark(opened: OpenedShare, mark: SharedMark): Promise<Checked<unknown>>
  /** What this device marked at a door, opened from its sealed reply. */
  openReply(opened: OpenedShare, reply: Reply): Promise<SharedMark | null>
  /** A visit this device logged, opened from its sealed reply. */
  openVisit(opened: OpenedShare, reply: Reply): Promise<SharedVisit | null>
  /** A visit to a household sealed to this phone; "needs help" also posts a help request on its behalf. */
  logVisit(opened: OpenedShare, householdId: string, outcome: Outcome, note: string): Promise<Checked<unknown>>
  /** Staff: seal a round to its volunteer's devices. */
  seal(round: Round, elders: ReadonlyMap<string, Elder>): Promise<Checked<unknown>>
  /** Staff: seal a visitor's households (and when each was last visited) to their devices, for this month. */
  sealVisits(visitorId: string, households: readonly Household[], visits: readonly Visit[]): Promise<Checked<unknown>>
  /** Staff: dispatch a private errand to a 代办员, sealed to their devices. */
  sealErrand(errandId: string, agent: Person): Promise<Checked<unknown>>
  /** The 代办员: a step on a private errand sealed to this phone, sent back sealed. */
  errandStep(opened: OpenedShare, type: AgentStepType, result: string): Promise<Checked<unknown>>
  /** A step this phone sent back on a private errand. */
  openErrandStep(opened: OpenedShare, reply: Reply): Promise<SharedErrandStep | null>
}

export const sealed = () => import('../trust/shares')

interface SharesPlan {
  data: LiveShareData
  pub: SpaceDocs
  staff: SpaceDocs | null
  clock: HybridClock
  actor: () => Actor
  keys: Promise<DeviceKeys | null>
  trust: CommunityTrust
}

export function sharesOf({ data, pub, staff, clock, actor, keys, trust }: SharesPlan): Shares {
  return {
    data,
    deviceKey: () => keys.then((k) => k?.publicKey ?? null),
    open: async (share) => {
      const k = await keys
      return k ? (await sealed()).openShare(k, share) : null
    },
    mark: async (opened, mark) => (await sealed()).markSharedDoor(pub, clock, opened, { ...mark, name: actor().name }, actor()),
    openReply: async (opened, reply) => (await sealed()).openReply(opened.key, reply),
    openVisit: async (opened, reply) => (await sealed()).openVisitReply(opened.key, reply),
    logVisit: async (opened, householdId, outcome, note) => {
      const household = opened.kind === 'visits' ? opened.visits.households.find((h) => h.id === householdId) : undefined
      if (!household) return { ok: false, problems: { household: 'problem.notFound' } }
      const problem = checkVisitNote(outcome, note).note
      if (problem) return { ok: false, problems: { note: problem } }
      const posted = outcome === 'help' ? postRequest(pub, clock, actor(), helpForHousehold(household), today()) : null
      if (posted && !posted.ok) return posted
      return (await sealed()).logSharedVisit(pub, clock, opened, { householdId, day: today(), outcome, note, requestId: posted?.value.id ?? '', name: actor().name }, actor())
    },
    seal: async (round, elders) => {
      const state = trust.state()
      if (!staff || !state.checked) return { ok: false, problems: { round: 'problem.noDeviceKey' } }
      return (await sealed()).shareRound(pub, staff, clock, round, elders, state.verdict)
    },
    sealErrand: async (errandId, agent) => {
      const state = trust.state()
      if (!staff || !state.checked) return { ok: false, problems: { errand: 'problem.noDeviceKey' } }
      return (await sealed()).shareErrand(pub, staff, clock, errandId, agent, actor(), state.verdict, today())
    },
    errandStep: async (opened, type, result) => (await sealed()).sendErrandStep(pub, clock, opened, { type, result, day: today(), name: actor().name }, actor()),
    openErrandStep: async (opened, reply) => (await sealed()).openErrandReply(opened.key, reply),
    sealVisits: async (visitorId, households, visits) => {
      const state = trust.state()
      if (!staff || !state.checked) return { ok: false, problems: { share: 'problem.noDeviceKey' } }
      return (await sealed()).shareVisits(pub, staff, clock, visitorId, households, visits, state.verdict, today())
    },
  }
}
