import { keptMonths, monthOf, monthsAround, today, type Month } from '../domain/calendar'
import type { Membership, SpaceKey } from '../domain/community'
import { HybridClock } from '../domain/hlc'
import type { Actor } from '../domain/actor'
import type { Verdict } from '../domain/trust'
import { afterPaint } from '../store/after-paint'
import type { LiveCollection } from '../store/reactive'
import { ShownMonths } from '../store/reactive'
import type { Shown } from '../store/feature'
import type { Writer } from '../store/collection'
import { liveTrust } from '../store/trust'
import { STANDING } from '../store/space-docs'
import type { FileProblem, FileSpace } from '../sync/file'
import type { PeerInfo } from '../sync/replication'
import { keepTabsInStep } from '../sync/tabs'
import { loadDeviceKeys } from '../trust/keys'
import { makeCommunityTrust, type CommunityTrust } from '../trust/grants'
import { makeSignedRecords, type RefusedRecord } from '../trust/signatures'
import { collectionsIn, commandsOfFeatures, disposeAll, liveOfFeatures, staffLiveOfFeatures, type Commands, type FeatureLive, type FeatureStaffLive } from './features'
import { privateConcerns, type PrivateConcerns } from './private'
import { trackSaving, type Saving } from './saving'
import { settleSealed } from './settle'
import { sharesOf, type Shares } from './shares'
import { closeSpace, mergeIntoSpace, openSpace, spaceDocs, type OpenSpace, type Transport } from './space'

export type { OpenSpace } from './space'
export { copySpaceData, moveRoomStores } from './space'
export type { Commands, StaffCommands } from './features'

// The composition root for one community on this device: each space's docs (a
// standing doc and one per month, see store/space-docs.ts), each with its storage and
// its peer-to-peer room, the clock, and each feature's live data and commands
// (session/features.ts). Screens read the live data and call the commands bound here;
// they never see a doc or the clock.

/** (The shares' live data is `shares.data`, beside what opens and seals them.) */
export interface CommunitySession extends Omit<FeatureLive, 'shares'>, Saving {
  membership: Membership
  /** The person acting on this device (read at each command). */
  actor: () => Actor
  clock: HybridClock
  publicSpace: OpenSpace
  staffSpace: OpenSpace | null
  /** The months each feature's screens read; a screen that shows another month adds it. */
  shown: Shown
  /** What features read from the staff space; only on devices that hold it. */
  staffLive: FeatureStaffLive | null
  /** Whether a person is a 代办员 staff appointed (and have not stood down). */
  isAgent(id: string): boolean
  /** A private concern's words and its steps' notes, where this device may open them (staff, the reporter); null elsewhere. */
  privateConcerns: Pick<PrivateConcerns, 'words' | 'note'>
  /** Rounds and visits sealed to their volunteer (trust/shares.ts): opened on the volunteer's devices, sealed by staff. */
  shares: Shares
  /** Each feature's commands, bound to its space, the clock and the person acting. */
  commands: Commands
  /** Who holds which role, by the community's signed grants (trust/grants.ts). */
  trust: CommunityTrust
  /** In a community with a founder: records that failed their signature or authority check (trust/signatures.ts). */
  refused: () => RefusedRecord[]
  /** Signatures checked since the community opened (a start re-checks nothing already checked). */
  signaturesChecked(): number
  /** Every live collection, for diagnostics (records skipped as malformed). */
  collections: LiveCollection<object>[]
  /** The standing docs and this month, loaded from storage. */
  whenLoaded: Promise<void>
  /** Those, and the first screen drawn from them: work no screen waits for starts here. */
  whenDrawn: Promise<void>
  /** Resolves once every change made so far on this device is written to storage. */
  flushed(): Promise<void>
  /** Every doc of each space this device holds (open or only stored), sealed as one file. */
  saveFile(): Promise<Uint8Array<ArrayBuffer>>
  /** Merges a community file: open docs take it in, stored months are written without opening. */
  loadFile(bytes: Uint8Array): Promise<FileLoaded>
  close(): Promise<void>
}

export type FileLoaded = { ok: true; community: string; changed: number } | { ok: false; problem: FileProblem; community?: string }

/** What the device side gives a session. */
export interface SessionOptions {
  /** Who this device is to its peers: its id, and its person's name if they gave one. */
  self: PeerInfo
  signaling: string[]
  /** The person acting on this device, read at each command. */
  actor: () => Actor
  /** The proof of the invitation this device joined with is written: the secret may go. */
  onAccepted?: () => void
  /** The staff space was made anew (a device was removed), or this device was removed from it (null). */
  onStaffKey?: (key: SpaceKey | null) => void
  /** The public space was made anew (a device was removed). */
  onPublicKey?: (key: SpaceKey) => void
}

export function openCommunity(membership: Membership, { self, signaling, actor, onAccepted, onStaffKey, onPublicKey }: SessionOptions): CommunitySession {
  const clock = new HybridClock(self.device)
  // The transport (y-webrtc, a third of the app's code) is loaded once the first
  // screen is drawn from storage, so it neither delays nor competes with it.
  let firstScreenDrawn!: () => void
  const transport: Promise<Transport> = new Promise<void>((resolve) => (firstScreenDrawn = resolve)).then(() => import('../sync/connect'))
  const plan = { community: membership.id, signaling, transport, self, hub: membership.hub === true }
  const pub = openSpace('public', membership.public, plan)
  const staff = membership.staff ? openSpace('staff', membership.staff, plan) : null
  const both = staff ? [pub, staff] : [pub]
  // Public spaces left for a new one: only their standing doc, as it was, offered to a
  // phone that was away (it holds the record that seals it the new one). Nothing is read from them here.
  const former = (membership.formerPublic ?? []).filter((f) => f.until >= today()).map((f) => openSpace('public', { room: f.room, secret: f.secret }, plan, { left: true }))
  // In a community with a founder every record is signed and checked on read, from
  // before the first record loads (a community made before device keys has none).
  const keys = loadDeviceKeys()
  const checks = membership.founder
    ? both.map((space) => (space.docs.gate = makeSignedRecords({ docs: space.docs, store: space.store, community: membership.id, space: space.kind, keys, firstDocs: [STANDING, monthOf(today())] })))
    : []
  const flushed = () => Promise.all(both.flatMap((space) => [...space.storage.values()].map((part) => part.flushed()))).then(() => undefined)
  const ownSigned = () => Promise.all(checks.map((check) => check.ownSigned()))
  const saving = trackSaving(both, ownSigned)
  // Other tabs of this device take in what it writes once it is signed and on disk (sync/tabs.ts).
  const stopTabs = both.map((space) =>
    keepTabsInStep(
      space.store,
      space.docs,
      () => ownSigned().then(() => Promise.all([...space.storage.values()].map((part) => part.flushed()))).then(() => undefined),
      (name) => space.storage.get(name)?.whenLoaded ?? Promise.resolve(),
    ),
  )
  const { shown, openLater } = showMonths(pub, staff)
  const whenLoaded = Promise.all([pub.loaded(), staff?.loaded()]).then(() => undefined)
  const whenDrawn = whenLoaded.then(() => new Promise<void>((drawn) => afterPaint(drawn)))
  void whenDrawn.then(() => {
    if (pub.closed) return
    firstScreenDrawn()
    openLater()
  })
  // Each feature's live views feed every stamp they see into the clock, so what this
  // device does next is ordered after everything it has seen.
  const live = liveOfFeatures({ pub: pub.docs, staff: staff?.docs ?? null, clock, shown })
  const staffLive = staff ? staffLiveOfFeatures({ pub: pub.docs, staff: staff.docs, clock, shown }) : null
  const isStaff = (id: string) => live.members.byId[id]?.role === 'staff'
  const isAgent = (id: string) => {
    const agent = live.errands.agents.byId[id]
    return agent !== undefined && !agent.retired
  }
  const concerns = privateConcerns(pub.docs, staff?.docs ?? null, keys)
  const writer = (space: OpenSpace): Writer => ({ docs: space.docs, clock, actor })
  const commands = commandsOfFeatures({ pub: writer(pub), staff: staff && writer(staff), community: membership.id, isStaff, isAgent, sealer: concerns.sealer })
  const trust = openTrust(membership, pub, clock, keys, { label: () => actor().name, person: self.device, checks, onAccepted, onStaffKey, onPublicKey })
  const stopSettling = staff
    ? settleSealed({
        pub: pub.docs,
        staff: staff.docs,
        clock,
        mayPublish: async () => (await keys)?.publicKey === membership.founder || pub.status().lastReceivedAt !== null,
        closed: () => pub.closed,
        // The staff space's month, opened once the first screen is drawn, must have loaded
        // first: an order whose opened details are not loaded yet would be opened again.
        whenReady: whenDrawn.then(() => staff.loaded()),
      })
    : () => {}
  // Trust records are read by the trust check; this live view counts malformed ones for Diagnostics.
  const trustRecords = liveTrust(pub.docs, clock)
  const collections: LiveCollection<object>[] = [trustRecords, ...collectionsIn(live), ...collectionsIn(staffLive)]
  let closing: Promise<void> | undefined
  return {
    ...live,
    ...saving,
    membership,
    actor,
    clock,
    shown,
    publicSpace: pub,
    staffSpace: staff,
    staffLive,
    isAgent,
    privateConcerns: concerns,
    shares: sharesOf({ data: live.shares, pub: pub.docs, staff: staff?.docs ?? null, clock, actor, keys, trust }),
    commands,
    trust,
    refused: () => checks.flatMap((check) => check.refused()),
    signaturesChecked: () => checks.reduce((sum, check) => sum + check.checkedCount(), 0),
    collections,
    whenLoaded,
    whenDrawn,
    flushed,
    // The file format loads when a file is made or read, not with the first screen.
    async saveFile() {
      const { sealFile } = await import('../sync/file')
      const spaces = await Promise.all(both.map(async (space): Promise<FileSpace> => ({ kind: space.kind, ...space.key, docs: await spaceDocs(space) })))
      return sealFile({ community: membership.id, name: membership.name, made: new Date().toISOString() }, spaces)
    },
    async loadFile(bytes) {
      const { openFile } = await import('../sync/file')
      const opened = await openFile(bytes, membership.id, both.map((space) => ({ kind: space.kind, ...space.key })))
      if (!opened.ok) return { ok: false, problem: opened.problem, community: opened.header?.name }
      let changed = 0
      for (const part of opened.spaces) changed += await mergeIntoSpace(both.find((space) => space.key.room === part.room)!, part.docs)
      return { ok: true, community: opened.header.name, changed }
    },
    close() {
      // Idempotent: switching and leaving may both ask to close the same session.
      closing ??= (async () => {
        trustRecords.dispose()
        disposeAll(live)
        disposeAll(staffLive)
        stopSettling()
        trust.close()
        stopTabs.forEach((stop) => stop())
        checks.forEach((check) => check.close())
        await Promise.all([closeSpace(pub), staff ? closeSpace(staff) : undefined, ...former.map(closeSpace)])
      })()
      return closing
    },
  }
}

/**
 * The months screens show, each opened (loaded, and met with peers) in the spaces its
 * feature reads: only the canteen keeps anything by month in the staff space. Screens
 * show this month and the next; other months stay stored, unopened, until a screen asks
 * for one (a week further on, last month's report).
 */
function showMonths(pub: OpenSpace, staff: OpenSpace | null): { shown: Shown; openLater(): void } {
  const both = staff ? [pub, staff] : [pub]
  const around = monthsAround(today())
  const [thisMonth, ...later] = around
  // Visits are read from last month and this one: enough to tell who is due (domain/visits.ts).
  const [lastMonth] = keptMonths(today())
  const shown: Shown = { shifts: new ShownMonths(around), activities: new ShownMonths(around), canteen: new ShownMonths(around), visits: new ShownMonths([lastMonth!, thisMonth!]) }
  const openIn = (spaces: OpenSpace[]) => (months: Iterable<Month>) => {
    for (const month of months) spaces.forEach((space) => space.docs.open(month))
  }
  shown.shifts.onShow(openIn([pub]))
  shown.activities.onShow(openIn([pub]))
  shown.canteen.onShow(openIn(both))
  // The first screen (Today) needs this month of the public space. The rest is opened
  // once it is drawn: the staff space's month (a month of opened meal orders, thousands
  // of records, and the visits Today's staff parts draw after it), then the next months.
  openIn([pub])([thisMonth!])
  return {
    shown,
    openLater: () => {
      if (staff) openIn([staff])([thisMonth!, lastMonth!])
      openIn(both)(later)
    },
  }
}

type TrustOptions = Pick<SessionOptions, 'onAccepted' | 'onStaffKey' | 'onPublicKey'> & {
  label: () => string
  person: string
  checks: ReturnType<typeof makeSignedRecords>[]
}

/**
 * Who holds which role, by the community's signed grants, told to each space's
 * signature gate. A verdict from before the stored trust records have loaded would take
 * every role away for a moment (and the kept one from the last start would have been
 * right): records are read by the kept verdict until the stored one is checked.
 */
function openTrust(membership: Membership, pub: OpenSpace, clock: HybridClock, keys: ReturnType<typeof loadDeviceKeys>, { label, person, checks, onAccepted, onStaffKey, onPublicKey }: TrustOptions): CommunityTrust {
  let latestVerdict: Verdict | null = null
  let storedTrustRead = false
  const trust = makeCommunityTrust({
    community: membership.id,
    founder: membership.founder,
    docs: pub.docs,
    clock,
    keys,
    loaded: pub.loaded(),
    label,
    person,
    onVerdict: (verdict) => {
      // No device record at all: nothing has arrived yet (a phone that has just joined),
      // so there is nothing to judge by; records wait rather than being refused.
      if (verdict.devices.size === 0) return
      latestVerdict = verdict
      if (storedTrustRead) checks.forEach((check) => check.setAuthority(verdict.authority))
    },
    ...(membership.invitation ? { pending: membership.invitation } : {}),
    ...(onAccepted ? { onAccepted } : {}),
    staffKey: () => membership.staff ?? null,
    onStaffKey: (key) => onStaffKey?.(key),
    publicKey: () => membership.public,
    onPublicKey: (key) => onPublicKey?.(key),
  })
  void pub.loaded().then(() => trust.settled()).then(() => {
    storedTrustRead = true
    if (latestVerdict) checks.forEach((check) => check.setAuthority(latestVerdict!.authority))
  })
  return trust
}
