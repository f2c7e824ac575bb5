import { browseOrder, deriveStatus, isUnclaimed, type AidCategory, type AidRequest, type AidStatus } from '../../domain/aid'
import { stampDay } from '../../domain/hlc'
import type { CommunitySession } from '../../session'
import { createDeferredMemo, groupBy } from '../common/derive'
import { ledger, privateErrandStatus, privateLedger, type PrivateErrand } from '../../domain/errands'
import type { FeatureStaffLive, StaffCommands } from '../../session/features'

// Requests with their derived lifecycle, for every mutual-aid screen, with the steps
// anyone may take (who may take which is checked in the domain).

export function createAidBoard(session: CommunitySession) {
  const data = session.aid
  const isStaff = (id: string) => session.members.byId[id]?.role === 'staff'
  // Only a 代办员 staff appointed, and staff, take paperwork errands.
  const isAgent = session.isAgent
  const eventsBy = createDeferredMemo(() => groupBy(data.events.ids(), data.events.byId, (e) => e.requestId))
  const statusOf = (request: AidRequest): AidStatus => deriveStatus(request, eventsBy().get(request.id) ?? [], isStaff, isAgent)
  const items = createDeferredMemo(() =>
    data.requests
      .ids()
      .map((id) => data.requests.byId[id])
      .filter((r): r is AidRequest => r !== undefined)
      .map((request) => ({ request, status: statusOf(request), postedDay: stampDay(request.stamp) })),
  )
  return {
    ...session.commands.aid,
    isStaff,
    isAgent,
    items,
    item: (id: string) => items().find((i) => i.request.id === id),
    open: (helpsWith: ReadonlySet<AidCategory>) => {
      const open = items().filter((i) => i.status.state === 'open')
      const byId = new Map(open.map((i) => [i.request.id, i]))
      return browseOrder(open.map((i) => i.request), helpsWith).map((r) => byId.get(r.id)!)
    },
    mine: (personId: string) =>
      items()
        .filter((i) => i.request.postedBy === personId || i.request.forId === personId || i.status.taker?.id === personId || i.status.history.some((h) => h.event.byId === personId))
        .sort((a, b) => (a.request.stamp < b.request.stamp ? 1 : -1)),
    /** What staff offered this person and they have not answered, and what they took and have not finished. */
    forMe: (personId: string) => items().filter((i) => i.status.offered?.id === personId || (i.status.state === 'taken' && i.status.taker?.id === personId)),
    /** Requests nobody took for over a day: open, or offered and not answered (staff follow them up). */
    unclaimed: (nowMs: number) => items().filter((i) => isUnclaimed(i.request, i.status, nowMs)),
    /** The 代办 point's list of services (taken off ones too: old errands name them), by name. */
    services: () => session.errands.services.ids().map((id) => session.errands.services.byId[id]!).filter(Boolean).sort((a, b) => a.name.localeCompare(b.name)),
    serviceName: (id: string | undefined) => (id ? (session.errands.services.byId[id]?.name ?? '') : ''),
    /** The 代办员 staff appointed and have not stood down. */
    agents: () => session.errands.agents.ids().map((id) => session.errands.agents.byId[id]!).filter((a) => a && !a.retired),
    agentOf: (id: string | undefined) => (id ? session.errands.agents.byId[id] : undefined),
    /** The ledger (代办登记台账) of a month, for one 代办员 or all. */
    ledger: (month: string, agentId = '') => ledger(items(), (id) => (id ? (session.errands.services.byId[id]?.name ?? '') : ''), month, agentId),
    byNumber: (number: string) => items().find((i) => i.request.number?.toUpperCase() === number.trim().toUpperCase()),
    /** Whom staff may dispatch to: volunteers and staff; for a paperwork errand, its 代办员 and staff. */
    volunteers: (errand = false) =>
      session.members
        .ids()
        .map((id) => session.members.byId[id]!)
        .filter((m) => m && (errand ? isAgent(m.deviceId) || m.role === 'staff' : m.role === 'volunteer' || m.role === 'staff')),
  }
}
export type AidBoard = ReturnType<typeof createAidBoard>

/** Staff: the private errands (staff space), each with its status from its steps, and the staff commands on them. */
export function createPrivateErrandBoard(data: FeatureStaffLive['errands'], commands: StaffCommands['errands']) {
  const stepsBy = createDeferredMemo(() => groupBy(data.steps.ids(), data.steps.byId, (s) => s.errandId))
  const items = createDeferredMemo(() =>
    data.errands
      .ids()
      .map((id) => data.errands.byId[id])
      .filter((e): e is PrivateErrand => e !== undefined)
      .map((errand) => ({ errand, status: privateErrandStatus(stepsBy().get(errand.id) ?? []) }))
      .sort((a, b) => (a.errand.stamp < b.errand.stamp ? 1 : -1)),
  )
  return {
    ...commands,
    privateItems: items,
    privateItem: (id: string) => items().find((i) => i.errand.id === id),
    /** The private rows of a month's ledger (staff devices alone hold them). */
    privateLedger: (month: string, agentId = '') => privateLedger(items(), month, agentId),
  }
}
export type PrivateErrandBoard = ReturnType<typeof createPrivateErrandBoard>
