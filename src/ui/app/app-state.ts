import { createEffect, createSignal, on, onCleanup, type Setter } from 'solid-js'
import { createStore, unwrap, type SetStoreFunction } from 'solid-js/store'
import { canChooseRole, FORMER_DAYS, FORMER_KEPT, roleForInvite, SIGNALING_MAX, spacesOf, type Membership, type Role, type SpaceKey } from '../../domain/community'
import { plusDays, today } from '../../domain/calendar'
import { newId, newSecret } from '../../domain/ids'
import { loadDeviceKeys, newCommunityId } from '../../trust/keys'
import { AID_CATEGORIES, type AidCategory } from '../../domain/aid'
import type { Actor } from '../../domain/actor'
import { BUILT_SIGNALING, defaultSignaling, parseSignalingList, saveDevice, upsertCommunity, type DeviceSettings } from '../../sync/device'
import { inviteProblem, makeInvite, type Invite, type InviteKind } from '../../sync/invite'
import { deleteSpaceData, storeOf } from '../../sync/persistence'
import { forgetActivity } from '../../sync/activity'
import { forgetGlance } from '../today/glance'
import { copySpaceData, moveRoomStores, openCommunity, type CommunitySession } from '../../session'
import { setLanguage } from '../common/i18n'

// Device-wide state for the screens: this device's settings (kept in IndexedDB
// through sync/device.ts), the community that is open now, and the actions that
// change them. Screens call these; none of them touches storage or Yjs directly.

/**
 * A browser storage failure: the disk is full, or IndexedDB refused a write. Only an
 * InvalidStateError about IndexedDB counts: y-webrtc's signaling sends from a promise
 * and meets one too ("'send' on 'WebSocket': Still in CONNECTING state") when a
 * signaling server comes back, which loses one announcement, not data.
 */
const isStorageError = (error: unknown) =>
  error instanceof DOMException &&
  (['QuotaExceededError', 'UnknownError', 'DataError'].includes(error.name) || (error.name === 'InvalidStateError' && /IDB|database|transaction|object store/i.test(error.message)))

export function createAppState(stored: DeviceSettings) {
  const [device, setDevice] = createStore<DeviceSettings>(stored)
  const [session, setSession] = createSignal<CommunitySession | null>(null)
  const [storageFailed, setStorageFailed] = createSignal(false)
  // Stringifying the store proxy reads (and so tracks) every field: any change saves.
  const snapshot = () => JSON.parse(JSON.stringify(device)) as DeviceSettings
  reflectDevice(device, snapshot, () => setStorageFailed(true))

  const signaling = () => device.signaling ?? defaultSignaling(location)
  /** Where a community meets its peers: this phone's choice in Settings, else what its link named, else this server. */
  const signalingOf = (membership: Membership | null) => device.signaling ?? membership?.signaling ?? defaultSignaling(location)
  const active = () => device.communities.find((c) => c.id === device.activeCommunityId) ?? null
  const actor = (): Actor => ({ id: device.deviceId, name: device.displayName.trim(), staff: active()?.role === 'staff' })
  const announceMyself = (s: CommunitySession) => announce(s, actor().name, device.deviceId)

  const sessions = openActive({
    device,
    setDevice,
    setSession,
    active,
    signalingOf,
    actor,
    onStaffKey: (id, key) => void spaces.changeStaffSpace(id, key),
    onPublicKey: (id, key) => void spaces.changePublicSpace(id, key),
    drawn: announceMyself,
  })
  const spaces = makeSpaceChanges(device, setDevice, sessions.closed)

  /** On disk before the screen says so: a killed browser still has what it joined. */
  async function join(membership: Membership, also: Partial<DeviceSettings> = {}) {
    // Plain copies only: IndexedDB cannot store the store's proxies.
    const now = snapshot()
    const next = { ...now, ...also, communities: upsertCommunity(now.communities, membership), activeCommunityId: membership.id }
    await saveDevice(next)
    setDevice(next)
  }

  return {
    device,
    session,
    storageFailed,
    signaling,
    active,
    ...settingsActions(device, setDevice, { session, active, announceMyself }),
    /** This device founds the community: the id is bound to its key, the root of every grant (where the browser can sign). */
    async createCommunity(name: string): Promise<void> {
      const keys = await loadDeviceKeys()
      return join({
        ...(keys ? { id: await newCommunityId(keys.publicKey), founder: keys.publicKey } : { id: newId() }),
        name,
        role: 'staff',
        public: { room: newId(), secret: newSecret() },
        staff: { room: newId(), secret: newSecret() },
        joinedAt: new Date().toISOString(),
      })
    },
    /** Joins nothing, and says why, when the link cannot be checked (inviteProblem). */
    joinFromInvite: (invite: Invite): Promise<'joined' | 'badInvite' | 'noFounder' | 'roomTaken' | 'badSignaling'> => joinFromInvite(device, invite, join),
    switchTo: (id: string) => {
      setDevice('activeCommunityId', id)
      forgetGlance() // the other community's Today; this one's is kept once it is drawn
    },
    leave: (id: string) => leave(device, setDevice, sessions.closed, id),
    /** An invite for the open community (inviteFor). */
    invite: (kind: InviteKind) => inviteFor(device, active(), session(), kind),
  }
}

export type AppState = ReturnType<typeof createAppState>

type SetDevice = SetStoreFunction<DeviceSettings>

/**
 * Keeps the device's settings on disk and shows them: saved at every change, a storage
 * failure noted (whoever's write failed), the browser asked not to evict the data,
 * the language and text size applied to the page.
 */
function reflectDevice(device: DeviceSettings, snapshot: () => DeviceSettings, failed: () => void) {
  createEffect(() => saveDevice(snapshot()).catch(failed))
  // y-indexeddb writes a doc's changes without telling anyone when that fails.
  const onRejection = (event: PromiseRejectionEvent) => isStorageError(event.reason) && failed()
  addEventListener('unhandledrejection', onRejection)
  onCleanup(() => removeEventListener('unhandledrejection', onRejection))
  // Once the device holds a community, ask the browser not to evict it under pressure.
  createEffect(on(() => device.communities.length > 0, (holds) => holds && void navigator.storage?.persist?.()))
  createEffect(() => setLanguage(device.language))
  createEffect(() => {
    document.documentElement.classList.toggle('large-text', device.largeText)
    document.documentElement.lang = device.language
  })
}

/**
 * Opens the active community and closes the one before. Re-opens when the signaling
 * list changes so a new server takes effect at once. Runs one after another: a space's
 * room can be open only once, so the old one must be closed first.
 */
function openActive(options: {
  device: DeviceSettings
  setDevice: SetDevice
  setSession: Setter<CommunitySession | null>
  active: () => Membership | null
  signalingOf: (membership: Membership | null) => string[]
  actor: () => Actor
  onStaffKey: (id: string, key: SpaceKey | null) => void
  onPublicKey: (id: string, key: SpaceKey) => void
  /** The first screen is drawn: the member list may be read. */
  drawn: (s: CommunitySession) => void
}) {
  const { device, setDevice, active, signalingOf } = options
  let current: CommunitySession | null = null
  let generation = 0
  let queue: Promise<void> = Promise.resolve()
  createEffect(
    on([() => active()?.id, () => active()?.public.room, () => active()?.staff?.room, () => active()?.hub, () => signalingOf(active()).join('\n')], () => {
      const mine = ++generation
      options.setSession(null)
      queue = queue.then(async () => {
        await current?.close()
        current = null
        if (!device.storesNamed) {
          await moveRoomStores(unwrap(device.communities))
          setDevice('storesNamed', true)
        }
        const membership = active()
        if (mine !== generation || !membership) return
        const opened = openCommunity(structuredClone(unwrap(membership)), {
          self: { device: device.deviceId, label: device.displayName },
          signaling: [...signalingOf(membership)],
          actor: options.actor,
          // Once the proof of its invitation is written, the secret is not kept.
          onAccepted: () => setDevice('communities', (c) => c.id === membership.id, 'invitation', undefined),
          onStaffKey: (key) => options.onStaffKey(membership.id, key),
          onPublicKey: (key) => options.onPublicKey(membership.id, key),
        })
        current = opened
        options.setSession(opened)
        // Test builds only (`vite build --mode test`): the session on window for the end-to-end tests.
        if (import.meta.env.MODE === 'test') void import('../../test-hook').then(({ exposeForTests }) => exposeForTests(opened))
        // The member list is read after the first screen (Today shows no one else).
        await opened.whenDrawn
        options.drawn(opened)
      })
    }),
  )
  onCleanup(() => void current?.close())
  return {
    /** Resolves once the session open before is closed (and the next one opened). */
    closed: () => queue,
  }
}

/** Spaces made anew (a device was removed), taken one after another: data copied over, old databases deleted. */
function makeSpaceChanges(device: DeviceSettings, setDevice: SetDevice, closed: () => Promise<void>) {
  let changing: Promise<void> = Promise.resolve()
  return {
    /**
     * A new staff space (after a device was removed): its data is copied from the old
     * one, the community reopens on it, and the old databases go. The first staff space
     * of a device its inviter has just confirmed is taken as it is. Null: this device was
     * removed, and its staff space goes.
     */
    changeStaffSpace(id: string, key: SpaceKey | null) {
      changing = changing.then(async () => {
        const old = device.communities.find((c) => c.id === id)?.staff
        if (key && roomHeld(device, key.room, id)) return
        // A staff device just confirmed by its inviter: the staff space is sealed to it.
        if (!old && key) return void setDevice('communities', (c) => c.id === id, (c) => ({ ...c, staff: key, role: 'staff' }))
        if (!old || old.room === key?.room) return
        if (key) await copySpaceData(storeOf(id, 'staff', old.room), storeOf(id, 'staff', key.room))
        setDevice('communities', (c) => c.id === id, (c) => (key ? { ...c, staff: key } : { ...c, staff: undefined, role: 'resident', hub: false }))
        // The old databases can be deleted once the session that used them has closed.
        await closed()
        forgetActivity(old.room)
        await deleteSpaceData(storeOf(id, 'staff', old.room))
      })
      return changing
    },
    /**
     * A new public space (a device was removed): its data is copied from the old one and
     * the community reopens on it. The old room's months go; its standing doc stays and is
     * still offered for a while, so a phone that was away finds its way to the new one.
     */
    changePublicSpace(id: string, key: SpaceKey) {
      changing = changing.then(async () => {
        const membership = device.communities.find((c) => c.id === id)
        const old = membership?.public
        if (!membership || !old || old.room === key.room || roomHeld(device, key.room, id)) return
        await copySpaceData(storeOf(id, 'public', old.room), storeOf(id, 'public', key.room))
        const now = today()
        const former = [{ ...unwrap(old), until: plusDays(now, FORMER_DAYS) }, ...(membership.formerPublic ?? []).filter((f) => f.until >= now && f.room !== key.room)].slice(0, FORMER_KEPT)
        const gone = (membership.formerPublic ?? []).filter((f) => !former.some((kept) => kept.room === f.room))
        setDevice('communities', (c) => c.id === id, (c) => ({ ...c, public: key, formerPublic: former }))
        await closed()
        await deleteSpaceData(storeOf(id, 'public', old.room), { keepStanding: true })
        for (const f of gone) {
          forgetActivity(f.room)
          await deleteSpaceData(storeOf(id, 'public', f.room))
        }
      })
      return changing
    },
  }
}

/** Whether a room is one of another community's on this phone (its current, staff or left-behind public rooms). */
function roomHeld(device: DeviceSettings, room: string, except: string) {
  return device.communities.some((c) => c.id !== except && [c.public.room, c.staff?.room, ...(c.formerPublic ?? []).map((f) => f.room)].includes(room))
}

/** Tells the community this device's name and role, where its member record says otherwise. */
function announce(s: CommunitySession, name: string, deviceId: string) {
  const mine = s.members.byId[deviceId]
  if (name && (!mine || mine.name !== name || mine.role !== s.membership.role)) s.commands.members.announce(s.membership.role)
}

/** The settings of this device and of its open community, changed from the screens. */
function settingsActions(device: DeviceSettings, setDevice: SetDevice, { session, active, announceMyself }: { session: () => CommunitySession | null; active: () => Membership | null; announceMyself: (s: CommunitySession) => void }) {
  return {
    setDisplayName(name: string) {
      setDevice('displayName', name)
      const s = session()
      if (s) announceMyself(s)
    },
    setLanguage: (language: DeviceSettings['language']) => setDevice('language', language),
    setLargeText: (on: boolean) => setDevice('largeText', on),
    /** The help-request categories this volunteer helps with (this device only). */
    helpCategories: (): AidCategory[] => device.helpCategories.filter((c): c is AidCategory => (AID_CATEGORIES as readonly string[]).includes(c)),
    setHelpCategories: (categories: AidCategory[]) => setDevice('helpCategories', categories),
    setSignaling: (urls: string[] | null) => setDevice('signaling', urls),
    setRole(role: Role) {
      const membership = active()
      if (!membership || !canChooseRole(membership.role, role)) return
      setDevice('communities', (c) => c.id === membership.id, 'role', role)
      const s = session()
      if (s) {
        s.membership.role = role
        announceMyself(s)
      }
    },
    /** Makes this device the open community's hub (or an ordinary device again); the community reopens. */
    setHub(on: boolean) {
      const membership = active()
      if (!membership?.staff) return
      setDevice('communities', (c) => c.id === membership.id, 'hub', on)
      if (on) void navigator.storage?.persist?.()
    },
    /** The meal card number this person reserves with in the open community; it goes when they leave. */
    mealCard: () => active()?.mealCard ?? '',
    setMealCard(code: string) {
      const membership = active()
      if (membership) setDevice('communities', (c) => c.id === membership.id, 'mealCard', code)
    },
  }
}

/** Leaves a community: it goes from the list, and its data from this device once its session is closed. */
async function leave(device: DeviceSettings, setDevice: SetDevice, closed: () => Promise<void>, id: string) {
  const membership = device.communities.find((c) => c.id === id)
  if (!membership) return
  if (device.activeCommunityId === id) {
    setDevice('activeCommunityId', device.communities.find((c) => c.id !== id)?.id ?? null)
  }
  setDevice('communities', (list) => list.filter((c) => c.id !== id))
  forgetGlance()
  // Storage must be closed before its database can be deleted.
  await closed()
  for (const [space, key] of spacesOf(membership)) {
    forgetActivity(key.room)
    await deleteSpaceData(storeOf(id, space, key.room))
  }
}

/**
 * An invite for the open community. Where the community has a founder key, the link
 * carries a signed invitation: reusable for residents, one device for staff.
 */
async function inviteFor(device: DeviceSettings, membership: Membership | null, s: CommunitySession | null, kind: InviteKind): Promise<Invite | null> {
  if (!membership || !s) return null
  const invitation = membership.founder ? await s.trust.invite(kind === 'staff' ? 'staff' : 'resident', kind === 'staff' ? 'once' : 'many') : null
  return makeInvite(unwrap(membership), kind, device.signaling ?? membership.signaling ?? BUILT_SIGNALING, invitation ?? undefined)
}

/** Joins the community an invite names, or says why not, when the link cannot be checked (inviteProblem). */
async function joinFromInvite(device: DeviceSettings, invite: Invite, join: (membership: Membership) => Promise<void>): Promise<'joined' | 'badInvite' | 'noFounder' | 'roomTaken' | 'badSignaling'> {
  const problem = await inviteProblem(invite)
  if (problem || !invite.founder) return problem ?? 'noFounder'
  // The link's servers go through the same check as Settings, and are this community's only.
  const servers = parseSignalingList((invite.signaling ?? []).join('\n'))
  if (servers.invalid.length > 0 || servers.urls.length > SIGNALING_MAX) return 'badSignaling'
  const existing = device.communities.find((c) => c.id === invite.id)
  // A link for a community this phone holds joins only as that community: its keys stay
  // (a crafted link with the same id would otherwise point it at a room of its maker's).
  if (existing && existing.founder !== invite.founder) return 'badInvite'
  // Its rooms must be no other community's: a space's data is stored by its room, and a
  // link naming another community's room would open that community's data here.
  if (!existing && [invite.public, invite.staff].some((key) => key && roomHeld(device, key.room, invite.id))) return 'roomTaken'
  // A staff invite upgrades a resident; a resident invite never downgrades staff.
  const staff = existing?.staff ?? invite.staff
  return join({
    id: invite.id,
    name: invite.name,
    role: existing?.role === 'staff' || invite.staff ? 'staff' : (existing?.role ?? roleForInvite(false)),
    public: existing?.public ?? invite.public,
    ...(staff ? { staff } : {}),
    joinedAt: existing?.joinedAt ?? new Date().toISOString(),
    ...(existing?.mealCard ? { mealCard: existing.mealCard } : {}),
    founder: invite.founder,
    ...(invite.invitation ? { invitation: invite.invitation } : {}),
    ...(servers.urls.length > 0 ? { signaling: servers.urls } : existing?.signaling ? { signaling: existing.signaling } : {}),
  }).then(() => 'joined' as const)
}
