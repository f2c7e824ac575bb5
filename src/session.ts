import { createSignal, type Accessor } from 'solid-js'
import { keptMonths, monthsAround, today, type Month } from './domain/calendar'
import { spacesOf, type Membership, type SpaceKey, type SpaceKind } from './domain/community'
import type { CollectionName } from './domain/collections'
import { HybridClock } from './domain/hlc'
import type { Member } from './domain/members'
import type { Actor } from './domain/actor'
import { liveMembers, memberCommands } from './store/members'
import { liveNoticeData, noticeCommands, type LiveNoticeData } from './store/notices'
import { ShownMonths, type LiveCollection } from './store/reactive'
import { liveShiftData, shiftCommands, staffShiftCommands, type LiveShiftData } from './store/shifts'
import { activityCommands, liveActivityData, staffActivityCommands, type LiveActivityData } from './store/activities'
import { aidCommands, liveAidData, type LiveAidData } from './store/aid'
import { concernCommands, liveConcernData, type LiveConcernData, type Sealer } from './store/concerns'
import type { Concern, ConcernEvent, PrivateNote, PrivateWords } from './domain/concerns'
import { errandCommands, liveErrandData, type LiveErrandData } from './store/errands'
import { liveCanteenData, liveStaffCanteenData, readDropbox, readDropboxKeys, staffCanteenCommands, type LiveCanteenData, type LiveStaffCanteenData } from './store/canteen'
import { liveVisitData, visitCommands, type LiveVisitData } from './store/visits'
import { liveShareData, liveShareKeys, type LiveShareData } from './store/shares'
import type { OpenedShare } from './trust/shares'
import { ensureDropbox, orderCommands, settleOrders } from './trust/orders'
import { checkVisitNote, helpForHousehold, type Household, type Outcome, type Visit } from './domain/visits'
import { postRequest } from './store/aid'
import type { Elder, Round } from './domain/canteen'
import type { SharedMark, SharedVisit } from './domain/shares'
import type { Checked } from './domain/validation'
import type { Writer } from './store/collection'
import { liveTrust } from './store/trust'
import { keepTabsInStep } from './sync/tabs'
import { databaseName, deleteSpaceData, homeOf, mergeIntoDoc, persistSpace, readStoredDoc, storedMonths, storeIntoDoc, storeOf, type SpaceStorage } from './sync/persistence'
import type { FileProblem, FileSpace } from './sync/file'
import { idleStatus, loadActivity, type SpaceSyncStatus } from './sync/activity'
import type { SpaceSync } from './sync/transport'
import type { SpaceShelf } from './sync/shelf'
import type { PeerInfo } from './sync/replication'
import { docRoom, isDocNameNear, SpaceDocs, STANDING, type DocName } from './store/space-docs'
import { publicSpace as publicSpaceMaps, staffSpace as staffSpaceMaps } from './store/layout'
import * as Y from 'yjs'
import type { ProblemKey } from './domain/validation'
import { loadDeviceKeys } from './trust/keys'
import { makeCommunityTrust, type CommunityTrust } from './trust/grants'
import { copyChecks, makeSignedRecords, replacesSigned, type RefusedRecord } from './trust/signatures'
import type { Verdict } from './domain/trust'

// The composition root for one community on this device: each space's docs (a
// standing doc and one per month, see store/space-docs.ts), each with its storage and
// its peer-to-peer room, the clock, and the live collections that screens read.
// Screens read the live collections and call the commands bound here; they never see
// a doc or the clock.

export interface OpenSpace {
  kind: SpaceKind
  key: SpaceKey
  /** Where its docs are stored on this device (`storeOf`: community, space and room). */
  store: string
  docs: SpaceDocs
  /** Each open doc's storage, by doc name (STANDING or a month). */
  storage: Map<DocName, SpaceStorage>
  /** The space's one peer-to-peer room, carrying all its docs; null until the transport has loaded. */
  sync: SpaceSync | null
  /** What this device holds of the space, for replication (with the transport). */
  shelf: SpaceShelf | null
  /** Why sync could not start (e.g. no WebCrypto over plain http), if it could not. */
  syncProblem: ProblemKey | null
  status: Accessor<SpaceSyncStatus>
  /** Resolves once the docs open now have loaded what this device stored. */
  loaded(): Promise<void>
  closed: boolean
}

export interface CommunitySession {
  membership: Membership
  /** The person acting on this device (read at each command). */
  actor: () => Actor
  clock: HybridClock
  publicSpace: OpenSpace
  staffSpace: OpenSpace | null
  /** The months each feature's screens read; a screen that shows another month adds it. */
  shown: { shifts: ShownMonths; activities: ShownMonths; canteen: ShownMonths; visits: ShownMonths }
  members: LiveCollection<Member>
  notices: LiveNoticeData
  shifts: LiveShiftData
  activities: LiveActivityData
  aid: LiveAidData
  concerns: LiveConcernData
  /** The 代办 point's services and 代办员. */
  errands: LiveErrandData
  /** Whether a person is a 代办员 staff appointed (and have not stood down). */
  isAgent(id: string): boolean
  /** A private concern's words and its steps' notes, where this device may open them (staff, the reporter); null elsewhere. */
  privateConcerns: {
    words(concern: Concern): Promise<PrivateWords | null>
    note(concern: Concern, event: ConcernEvent): Promise<PrivateNote | null>
  }
  canteen: LiveCanteenData
  /** Only on devices that hold the staff space. */
  staffCanteen: LiveStaffCanteenData | null
  /** Grids and household visits; only on devices that hold the staff space. */
  visits: LiveVisitData | null
  /** Rounds sealed to their volunteer (trust/shares.ts): opened on the volunteer's devices, sealed by staff. */
  shares: {
    data: LiveShareData
    /** This device's signing key, which shares for it are sealed under; null without device keys. */
    deviceKey(): Promise<string | null>
    open(share: LiveShareData['shares']['byId'][string]): Promise<OpenedShare | null>
    mark(opened: OpenedShare, mark: SharedMark): Promise<Checked<unknown>>
    /** What this device marked at a door, opened from its sealed reply. */
    openReply(opened: OpenedShare, reply: LiveShareData['replies']['byId'][string]): Promise<SharedMark | null>
    /** A visit this device logged, opened from its sealed reply. */
    openVisit(opened: OpenedShare, reply: LiveShareData['replies']['byId'][string]): Promise<SharedVisit | null>
    /** A visit to a household sealed to this phone; "needs help" also posts a help request on its behalf. */
    logVisit(opened: OpenedShare, householdId: string, outcome: Outcome, note: string): Promise<Checked<unknown>>
    /** Staff: seal a round to its volunteer's devices. */
    seal(round: Round, elders: ReadonlyMap<string, Elder>): Promise<Checked<unknown>>
    /** Staff: seal a visitor's households (and when each was last visited) to their devices, for this month. */
    sealVisits(visitorId: string, households: readonly Household[], visits: readonly Visit[]): Promise<Checked<unknown>>
  }
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
  /**
   * True from a command's write until it is signed and written to storage (milliseconds):
   * a screen says "saved" only after, since a browser killed in between loses the write,
   * or keeps it unsigned where a restarted device may not know it as its own.
   */
  saving: Accessor<boolean>
  /** True while a record this device wrote (a new notice, shift, help request …) is not yet signed and on disk. */
  savingRecord(collection: CollectionName, key: string): boolean
  /** Every doc of each space this device holds (open or only stored), sealed as one file. */
  saveFile(): Promise<Uint8Array<ArrayBuffer>>
  /** Merges a community file: open docs take it in, stored months are written without opening. */
  loadFile(bytes: Uint8Array): Promise<FileLoaded>
  close(): Promise<void>
}

export type FileLoaded = { ok: true; community: string; changed: number } | { ok: false; problem: FileProblem; community?: string }

type Transport = typeof import('./sync/connect')
/** Sealed shares (rounds and visits sent to a volunteer's phone) load when first used, not with the first screen. */
const sealed = () => import('./trust/shares')

/**
 * What screens call, built once per open community. Staff commands exist only on a
 * device that holds the staff space, so a screen cannot reach them without it.
 */
function bindCommands(pub: Writer, staff: Writer | null, isStaff: (id: string) => boolean, isAgent: (id: string) => boolean, community: string, sealer: Sealer) {
  return {
    members: memberCommands(pub),
    shifts: shiftCommands(pub),
    activities: activityCommands(pub),
    aid: aidCommands(pub, isStaff, isAgent),
    concerns: concernCommands(pub, isStaff, sealer),
    canteen: orderCommands(pub, community),
    staff: staff && {
      notices: noticeCommands(pub),
      shifts: staffShiftCommands(pub),
      activities: staffActivityCommands(pub),
      canteen: staffCanteenCommands(pub, staff),
      visits: visitCommands(pub, staff),
      errands: errandCommands(pub),
    },
  }
}
export type Commands = ReturnType<typeof bindCommands>
export type StaffCommands = NonNullable<Commands['staff']>

/** Where a file's docs come from: the open doc if there is one, else its database. */
async function spaceDocs(space: OpenSpace): Promise<Map<DocName, Uint8Array>> {
  const names = new Set([STANDING, ...space.docs.opened.keys(), ...(await storedMonths(space.store))])
  const docs = new Map<DocName, Uint8Array>()
  for (const name of [...names].sort()) {
    const open = space.docs.get(name)
    docs.set(name, open ? Y.encodeStateAsUpdate(open) : await readStoredDoc(docRoom(space.store, name)))
  }
  return docs
}

const FROM_FILE = 'file'

/** Each doc wherever it is (mergeIntoDoc): open ones show it at once and tell peers; stored ones are told to the shelf. */
async function mergeIntoSpace(space: OpenSpace, docs: Map<DocName, Uint8Array>): Promise<number> {
  let changed = 0
  const home = homeOf(space.docs, space.storage, space.store)
  for (const [name, update] of docs) {
    // A file that replaces a signed record goes through the open doc, where the gate sees it (replacesSigned).
    const declines = space.docs.gate ? (doc: Y.Doc) => replacesSigned(doc, update) : undefined
    const merged = await mergeIntoDoc(home, name, update, FROM_FILE, declines && { declines })
    if (merged.changed) changed++
    if (!merged.open) space.shelf?.written(name)
  }
  return changed
}

interface SpacePlan {
  community: string
  signaling: string[]
  transport: Promise<Transport>
  self: PeerInfo
  /** This device is the community's hub: it keeps every doc and passes on what it receives. */
  hub: boolean
}

/** `left`: a public room left for a new one, whose standing doc is only offered, as it was (nothing is taken in). */
function openSpace(kind: SpaceKind, key: SpaceKey, { community, signaling, transport, self, hub }: SpacePlan, { left = false } = {}): OpenSpace {
  const store = storeOf(community, kind, key.room)
  const docs = new SpaceDocs()
  const storage = new Map<DocName, SpaceStorage>()
  const [status, setStatus] = createSignal<SpaceSyncStatus>(idleStatus(loadActivity(key.room)))
  // y-webrtc encrypts with WebCrypto, which browsers offer only to https and localhost.
  const noCrypto = typeof crypto === 'undefined' || !crypto.subtle
  const space: OpenSpace = {
    kind,
    key,
    store,
    docs,
    storage,
    sync: null,
    shelf: null,
    syncProblem: noCrypto ? 'problem.noCrypto' : null,
    status,
    loaded: () => Promise.all([...storage.values()].map((part) => part.whenLoaded)).then(() => undefined),
    closed: false,
  }
  docs.fromStorage = (origin) => [...storage.values()].some((stored) => stored.isFromStorage(origin))
  docs.onOpen((name, ydoc) => {
    const stored = persistSpace(ydoc, docRoom(store, name))
    storage.set(name, stored)
    // A month opened on a screen later asks peers for what they hold of it.
    void stored.whenLoaded.then(() => space.sync?.replicator.fetch(name))
  })
  if (noCrypto) return space
  // Every device keeps last month to six months ahead, and whatever a screen opened; a hub keeps all.
  const kept = new Set(keptMonths(today()))
  const keeps = (name: DocName) => (left ? name === STANDING : hub || name === STANDING || kept.has(name) || docs.opened.has(name))
  // Peers are met once what this device holds of the standing doc is loaded.
  void Promise.all([storage.get(STANDING)!.whenLoaded, transport]).then(async ([, { connectSpace, makeSpaceShelf, sendOnly }]) => {
    if (space.closed) return
    const shelf = await makeSpaceShelf({ store, standing: STANDING, docs: homeOf(docs, storage, store), keeps, gated: !hub })
    if (space.closed) return shelf.close()
    space.shelf = shelf
    const sync = connectSpace({ room: key.room, secret: key.secret, signaling, shelf: left ? sendOnly(shelf) : shelf, self, relay: hub && !left, isDocName: (name) => isDocNameNear(name) })
    space.sync = sync
    sync.onChange(() => setStatus(sync.status()))
    setStatus(sync.status())
  })
  return space
}

async function closeSpace(space: OpenSpace): Promise<void> {
  space.closed = true
  await space.sync?.destroy()
  await space.shelf?.close()
  await Promise.all([...space.storage.values()].map((part) => part.destroy()))
  space.docs.destroy()
}

/** Resolves after the browser has drawn what the screen shows now. */
const afterPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))

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
  const deviceId = self.device
  const clock = new HybridClock(deviceId)
  // The transport (y-webrtc, a third of the app's code) is loaded once the first
  // screen is drawn from storage, so it neither delays nor competes with it.
  let firstScreenDrawn!: () => void
  const transport = new Promise<void>((resolve) => (firstScreenDrawn = resolve)).then(() => import('./sync/connect'))
  const plan = { community: membership.id, signaling, transport, self, hub: membership.hub === true }
  const pub = openSpace('public', membership.public, plan)
  const staff = membership.staff ? openSpace('staff', membership.staff, plan) : null
  const both = staff ? [pub, staff] : [pub]
  // Public spaces left for a new one: only their standing doc, as it was, offered to a
  // phone that was away (it holds the record that seals it the new one). Nothing is read from them here.
  const former = (membership.formerPublic ?? []).filter((f) => f.until >= today()).map((f) => openSpace('public', { room: f.room, secret: f.secret }, plan, { left: true }))
  // Screens show this month and the next; other months stay stored, unopened, until
  // a screen asks for one (a week further on, last month's report).
  const around = monthsAround(today())
  const [thisMonth, ...later] = around
  // In a community with a founder every record is signed and checked on read, from
  // before the first record loads (a community made before device keys has none).
  const keys = loadDeviceKeys()
  const checks = membership.founder
    ? both.map((space) => (space.docs.gate = makeSignedRecords({ docs: space.docs, store: space.store, community: membership.id, space: space.kind, keys, firstDocs: [STANDING, thisMonth!] })))
    : []
  const flushed = () => Promise.all(both.flatMap((space) => [...space.storage.values()].map((part) => part.flushed()))).then(() => undefined)
  const ownSigned = () => Promise.all(checks.map((check) => check.ownSigned()))
  const [saving, setSaving] = createSignal(false)
  // Each record a command wrote, until it is signed and on disk ("collection/key"): a
  // new notice, shift or help request shows as saving in its list until then. A signal
  // per record a screen asks about, so a write wakes only its own mark.
  // (Counted: a record written again before the first write is on disk stays saving.)
  const unsaved = new Map<string, number>()
  const marks = new Map<string, [Accessor<boolean>, (saving: boolean) => void]>()
  const markSaving = (record: string, saving: boolean) => {
    const count = (unsaved.get(record) ?? 0) + (saving ? 1 : -1)
    if (count > 0) unsaved.set(record, count)
    else unsaved.delete(record)
    marks.get(record)?.[1](count > 0)
  }
  const savingRecord = (collection: CollectionName, key: string): boolean => {
    const record = `${collection}/${key}`
    let mark = marks.get(record)
    if (!mark) marks.set(record, (mark = createSignal(unsaved.has(record))))
    return mark[0]()
  }
  let writes = 0
  // The docs written since the last wait began: only they need to reach storage.
  let written: { space: OpenSpace; name: DocName; record: string }[] = []
  const wrote = (space: OpenSpace, name: DocName, record: string) => {
    written.push({ space, name, record })
    markSaving(record, true)
    if (written.length > 1) return // one wait for all of a command's writes
    setSaving(true)
    queueMicrotask(() => {
      const docs = written
      written = []
      const write = ++writes
      void ownSigned()
        .then(() => Promise.all(docs.map(({ space, name }) => space.storage.get(name)?.flushed())))
        .then(() => docs.forEach(({ record }) => markSaving(record, false)))
        .finally(() => write === writes && setSaving(false))
    })
  }
  both.forEach((space) => space.docs.onWrite((name, collection, key) => wrote(space, name, `${collection}/${key}`)))
  // Other tabs of this device take in what it writes once it is signed and on disk (sync/tabs.ts).
  const stopTabs = both.map((space) =>
    keepTabsInStep(
      space.store,
      space.docs,
      () => ownSigned().then(() => Promise.all([...space.storage.values()].map((part) => part.flushed()))).then(() => undefined),
      (name) => space.storage.get(name)?.whenLoaded ?? Promise.resolve(),
    ),
  )
  // Each feature's live views feed every stamp they see into the clock, so what this
  // device does next is ordered after everything it has seen.
  const members = liveMembers(pub.docs, clock)
  const notices = liveNoticeData(pub.docs, clock)
  // Visits are read from last month and this one: enough to tell who is due (domain/visits.ts).
  const [lastMonth] = keptMonths(today())
  const shown = { shifts: new ShownMonths(around), activities: new ShownMonths(around), canteen: new ShownMonths(around), visits: new ShownMonths([lastMonth!, thisMonth!]) }
  // A month a screen shows is opened (loaded, and met with peers) in the spaces that
  // feature reads: only the canteen keeps anything by month in the staff space.
  const openIn = (spaces: OpenSpace[]) => (months: Iterable<Month>) => {
    for (const month of months) spaces.forEach((space) => space.docs.open(month))
  }
  shown.shifts.onShow(openIn([pub]))
  shown.activities.onShow(openIn([pub]))
  shown.canteen.onShow(openIn(both))
  // The first screen (Today) needs this month; the next is opened once it is drawn.
  openIn(both)([thisMonth!])
  const whenLoaded = Promise.all([pub.loaded(), staff?.loaded()]).then(() => undefined)
  const whenDrawn = whenLoaded.then(afterPaint)
  void whenDrawn.then(() => {
    if (pub.closed) return
    firstScreenDrawn()
    openIn(both)(later)
    if (staff) openIn([staff])([lastMonth!])
  })
  const shifts = liveShiftData(pub.docs, clock, shown.shifts)
  const activities = liveActivityData(pub.docs, clock, shown.activities)
  const aid = liveAidData(pub.docs, clock)
  const concerns = liveConcernData(pub.docs, clock)
  const errands = liveErrandData(pub.docs, clock)
  const canteen = liveCanteenData(pub.docs, clock, shown.canteen)
  const staffCanteen = staff ? liveStaffCanteenData(staff.docs, clock, shown.canteen) : null
  const visits = staff ? liveVisitData(staff.docs, clock, shown.visits) : null
  const shareData = liveShareData(pub.docs, clock, shown.canteen)
  const isStaff = (id: string) => members.byId[id]?.role === 'staff'
  const writer = (space: OpenSpace): Writer => ({ docs: space.docs, clock, actor })
  const isAgent = (id: string) => {
    const agent = errands.agents.byId[id]
    return agent !== undefined && !agent.retired
  }
  // Private concerns: sealed to staff's drop box and the reporter's device; a concern's key is kept once opened.
  const privately = () => import('./trust/private')
  const concernKeys = new Map<string, Promise<Uint8Array<ArrayBuffer> | null>>()
  const keyOfConcern = (concern: Concern) => {
    let key = concernKeys.get(concern.id)
    if (!key) {
      key = (async () => (await privately()).concernKey(concern, { device: await keys, dropbox: staff ? readDropboxKeys(staff.docs) : [] }))()
      concernKeys.set(concern.id, key)
      // Not opened yet (the drop box's key may still be on its way): asked again next time.
      void key.then((k) => k || concernKeys.delete(concern.id))
    }
    return key
  }
  const sealer: Sealer = {
    concern: async (id, words) => {
      const [box, own] = [readDropbox(pub.docs), await keys]
      return box && own ? (await privately()).sealConcern(id, words, box.key, [own.agreementKey]) : null
    },
    note: async (concern, eventId, note) => {
      const key = await keyOfConcern(concern)
      return key ? (await privately()).sealNote(key, eventId, note) : null
    },
  }
  const privateConcerns: CommunitySession['privateConcerns'] = {
    words: async (concern) => {
      const key = await keyOfConcern(concern)
      return key ? (await privately()).openWords(key, concern) : null
    },
    note: async (concern, event) => {
      const key = await keyOfConcern(concern)
      return key ? (await privately()).openNote(key, event) : null
    },
  }
  const commands = bindCommands(writer(pub), staff && writer(staff), isStaff, isAgent, membership.id, sealer)
  // A verdict from before the stored trust records have loaded would take every role
  // away for a moment (and the kept one from the last start would have been right):
  // records are read by the kept verdict until the stored one is checked.
  let latestVerdict: Verdict | null = null
  let storedTrustRead = false
  const trust = makeCommunityTrust({
    community: membership.id,
    founder: membership.founder,
    docs: pub.docs,
    clock,
    keys,
    loaded: pub.loaded(),
    label: () => actor().name,
    person: deviceId,
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
  // A staff device opens door marks and visits sealed by volunteers into the staff
  // space, and ends shares past their day: after the first screen, and when replies or
  // keys arrive. One run at a time; a change during a run asks for one more.
  let stopSettling = () => {}
  if (staff) {
    let settling = false
    let again = false
    const settle = async () => {
      if (settling) return void (again = true)
      settling = true
      try {
        do {
          again = false
          if (pub.closed) return
          await (await sealed()).settleShares(pub.docs, staff.docs, clock, today())
          // The canteen's drop box, and the meal orders sealed to it opened into the staff space (trust/orders.ts).
          // Published by the founder's phone, or a staff phone that has heard from a peer (a phone just joined would replace the one in use).
          const mayPublish = (await keys)?.publicKey === membership.founder || pub.status().lastReceivedAt !== null
          if (mayPublish && (await ensureDropbox(pub.docs, staff.docs, clock))) again = true
          await settleOrders(pub.docs, staff.docs, clock)
        } while (again)
      } catch (error) {
        console.error('sealed replies: not settled', error)
      } finally {
        settling = false
      }
    }
    const onChange = () => void settle()
    const watched = [publicSpaceMaps(pub.docs).shareReplies, staffSpaceMaps(staff.docs).shareKeys, publicSpaceMaps(pub.docs).reservations, publicSpaceMaps(pub.docs).standingOrders, staffSpaceMaps(staff.docs).dropboxKeys]
    // Not while the stored docs load (each would start a run over a month of orders
    // during the start): once the first screen is drawn, one run, then on each change.
    let watching = false
    void whenDrawn.then(() => {
      if (pub.closed) return
      watching = true
      watched.forEach((map) => map.observe(onChange))
      void settle()
    })
    stopSettling = () => watching && watched.forEach((map) => map.unobserve(onChange))
  }
  // Trust records are read by the trust check; this live view counts malformed ones for Diagnostics.
  const trustRecords = liveTrust(pub.docs, clock)
  // (A day's reservations are read from the same map as the month's; the month's collection counts what it skips.)
  const { reservationsOn, ...canteenCollections } = canteen
  const collections: LiveCollection<object>[] = [members, trustRecords, ...Object.values(notices), ...Object.values(shifts), ...Object.values(activities), ...Object.values(aid), ...Object.values(concerns), ...Object.values(errands), ...Object.values(canteenCollections), ...Object.values(staffCanteen ?? {}), ...Object.values(visits ?? {}), ...Object.values(shareData), ...(staff ? [liveShareKeys(staff.docs, clock)] : [])]
  let closing: Promise<void> | undefined
  return {
    membership,
    actor,
    clock,
    shown,
    publicSpace: pub,
    staffSpace: staff,
    members,
    notices,
    shifts,
    activities,
    aid,
    concerns,
    errands,
    isAgent,
    privateConcerns,
    canteen,
    staffCanteen,
    visits,
    shares: {
      data: shareData,
      deviceKey: () => keys.then((k) => k?.publicKey ?? null),
      open: async (share) => {
        const k = await keys
        return k ? (await sealed()).openShare(k, share) : null
      },
      mark: async (opened, mark) => (await sealed()).markSharedDoor(pub.docs, clock, opened, { ...mark, name: actor().name }, actor()),
      openReply: async (opened, reply) => (await sealed()).openReply(opened.key, reply),
      openVisit: async (opened, reply) => (await sealed()).openVisitReply(opened.key, reply),
      logVisit: async (opened, householdId, outcome, note) => {
        const household = opened.kind === 'visits' ? opened.visits.households.find((h) => h.id === householdId) : undefined
        if (!household) return { ok: false, problems: { household: 'problem.notFound' } }
        const problem = checkVisitNote(outcome, note).note
        if (problem) return { ok: false, problems: { note: problem } }
        const posted = outcome === 'help' ? postRequest(pub.docs, clock, actor(), helpForHousehold(household), today()) : null
        if (posted && !posted.ok) return posted
        return (await sealed()).logSharedVisit(pub.docs, clock, opened, { householdId, day: today(), outcome, note, requestId: posted?.value.id ?? '', name: actor().name }, actor())
      },
      seal: async (round, elders) => {
        const state = trust.state()
        if (!staff || !state.checked) return { ok: false, problems: { round: 'problem.noDeviceKey' } }
        return (await sealed()).shareRound(pub.docs, staff.docs, clock, round, elders, state.verdict)
      },
      sealVisits: async (visitorId, households, visits) => {
        const state = trust.state()
        if (!staff || !state.checked) return { ok: false, problems: { share: 'problem.noDeviceKey' } }
        return (await sealed()).shareVisits(pub.docs, staff.docs, clock, visitorId, households, visits, state.verdict, today())
      },
    },
    commands,
    trust,
    refused: () => checks.flatMap((check) => check.refused()),
    signaturesChecked: () => checks.reduce((sum, check) => sum + check.checkedCount(), 0),
    collections,
    whenLoaded,
    whenDrawn,
    flushed,
    saving,
    savingRecord,
    // The file format loads when a file is made or read, not with the first screen.
    async saveFile() {
      const { sealFile } = await import('./sync/file')
      const spaces = await Promise.all(both.map(async (space): Promise<FileSpace> => ({ kind: space.kind, ...space.key, docs: await spaceDocs(space) })))
      return sealFile({ community: membership.id, name: membership.name, made: new Date().toISOString() }, spaces)
    },
    async loadFile(bytes) {
      const { openFile } = await import('./sync/file')
      const opened = await openFile(bytes, membership.id, both.map((space) => ({ kind: space.kind, ...space.key })))
      if (!opened.ok) return { ok: false, problem: opened.problem, community: opened.header?.name }
      let changed = 0
      for (const part of opened.spaces) changed += await mergeIntoSpace(both.find((space) => space.key.room === part.room)!, part.docs)
      return { ok: true, community: opened.header.name, changed }
    },
    close() {
      // Idempotent: switching and leaving may both ask to close the same session.
      closing ??= (async () => {
        collections.forEach((c) => c.dispose())
        stopSettling()
        reservationsOn.dispose()
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
 * Moves each space's docs from databases named by room alone (as builds before
 * `storeOf` kept them) into its store, once per device. A room two communities on this
 * device both name is not moved: whose data it was cannot be told, and an invite that
 * named another community's room must get nothing of it.
 */
export async function moveRoomStores(memberships: readonly Membership[]): Promise<void> {
  const named = memberships.flatMap((membership) => spacesOf(membership).map(([space, key]) => ({ id: membership.id, space, room: key.room })))
  const stored = new Set(((await indexedDB.databases?.()) ?? []).map((db) => db.name))
  for (const { id, space, room } of named) {
    if (named.filter((other) => other.room === room).length > 1) continue
    if (!stored.has(databaseName(room)) && (await storedMonths(room)).length === 0) continue
    await copySpaceData(room, storeOf(id, space, room))
    await deleteSpaceData(room)
  }
}

/** Copies every stored doc of a space into another store (a space made anew takes the old one's data, and what was checked of it). */
export async function copySpaceData(from: string, to: string): Promise<void> {
  for (const name of [STANDING, ...(await storedMonths(from))]) {
    await storeIntoDoc(docRoom(to, name), await readStoredDoc(docRoom(from, name)))
    copyChecks(docRoom(from, name), docRoom(to, name))
  }
}
