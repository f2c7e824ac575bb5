import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { afterAll, describe, expect, it } from 'vitest'
import type { InvitationLink, SpaceKey } from '../../src/domain/community'
import type { Rotation, SignedTrust } from '../../src/domain/trust'
import { STANDING, isDocName } from '../../src/store/space-docs'
import { keepSettingsIn } from '../../src/sync/device'
import { PeerOrigin } from '../../src/sync/replication'
import { seal, openSealed, sign, verify } from '../../src/trust/keys'
import { fileSettings } from '../../src/hub/file-storage'
import { loadHubKeys } from '../../src/hub/hub-keys'
import { startHubTrust, type HubTrust } from '../../src/hub/hub-trust'
import { HubSpaces, readHubState, startAfresh, type Connect } from '../../src/hub/spaces'
import { keptIn, trustCommunity } from '../attacks/trust-phone'

// The hub process as a member: its own keys on disk, its invitation accepted and its
// device record signed (so staff see it in Devices), a renewed space followed to its new
// room, and removal obeyed. Real keys, real signed records, real makeCommunityTrust on
// the founder's phone; the hub's WebRTC is a stand-in that records which rooms it is in.

const root = mkdtempSync(join(tmpdir(), 'hub-trust-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
// The hub keeps what a phone keeps in IndexedDB in a file; here the founder's phone shares it.
keepSettingsIn(fileSettings(join(root, 'settings.json')))

const PUBLIC: SpaceKey = { room: 'public-room-1', secret: 'public-secret-0123456789' }
// The staff space the founder's test phone holds (trust-phone.ts).
const STAFF: SpaceKey = { room: 'staff-room-1', secret: 'staff-secret-0123456789' }

const withMap = (name: string, key: string, value: unknown) => {
  const doc = new Y.Doc()
  doc.getMap(name).set(key, value)
  return Y.encodeStateAsUpdate(doc)
}

async function startHub(dir: string, c: Awaited<ReturnType<typeof trustCommunity>>, link: InvitationLink) {
  const rooms: { kind: string; room: string; open: boolean }[] = []
  const connect: Connect = (kind, key) => {
    const room = { kind, room: key.room, open: true }
    rooms.push(room)
    return { destroy: async () => void (room.open = false) }
  }
  const keys = await loadHubKeys(join(dir, 'keys.json'))
  const spaces = new HubSpaces(dir, readHubState(dir) ?? startAfresh(null), { connect, isDocName })
  await spaces.hold('public', spaces.key('public') ?? PUBLIC)
  await spaces.hold('staff', spaces.key('staff') ?? STAFF)
  const lines: string[] = []
  const kept: SignedTrust[] = []
  let removed = false
  const hub = startHubTrust({ community: c.id, name: '幸福里社区', founder: c.founder.publicKey, keys, spaces, label: '办公室中转站', pending: link, kept: keptIn(kept), log: (...parts) => lines.push(parts.join(' ')), onRemoved: () => (removed = true) })
  /** The founder's phone and the hub meet (their public standing docs), until both have acted on what they hold. */
  const meet = async () => {
    for (let round = 0; round < 3; round++) {
      const phone = c.phone.docs.get(STANDING)!
      const shelf = spaces.shelf('public')!
      const doc = shelf.open(STANDING)
      await shelf.apply(STANDING, Y.encodeStateAsUpdate(phone, Y.encodeStateVector(doc)), new PeerOrigin('phone'))
      Y.applyUpdate(phone, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(phone)))
      await Promise.all([c.phone.settled(), hub.settled()])
    }
  }
  const open = (kind: string) => rooms.filter((r) => r.kind === kind && r.open).map((r) => r.room)
  return { keys, spaces, hub, lines, meet, open, removed: () => removed }
}

const hubsToClose: HubTrust[] = []
afterAll(() => hubsToClose.forEach((hub) => hub.close()))

describe('the hub process is a member staff can see, renew and remove', () => {
  it('keeps its keys in a file only it may read, the same at every start, and they sign and open sealed boxes', async () => {
    const path = join(root, 'keys-only.json')
    const keys = await loadHubKeys(path)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const again = await loadHubKeys(path)
    expect([again.publicKey, again.agreementKey]).toEqual([keys.publicKey, keys.agreementKey])
    const bytes = new TextEncoder().encode('hub')
    expect(await verify(keys.publicKey, await sign(again.signing.privateKey, bytes), bytes)).toBe(true)
    const opened = await openSealed(again, await seal(keys.agreementKey, bytes))
    expect(new TextDecoder().decode(opened!)).toBe('hub')
  })

  it('accepts a staff link, shows in Devices, follows a renewal of the staff space, and leaves when removed', async () => {
    const c = await trustCommunity()
    const link = await c.phone.trust.invite('staff', 'once')
    const dir = join(root, 'community')
    const hub = await startHub(dir, c, link!)
    hubsToClose.push(hub.hub)
    // What the hub held of the staff space before: it must reach the new room whole.
    const staffShelf = hub.spaces.shelf('staff')!
    await staffShelf.apply(STANDING, withMap('elders', 'e1', { name: '王奶奶' }), new PeerOrigin('p'))
    await staffShelf.apply('2026-11', withMap('visits', '2026-11-03_v1', { ok: true }), new PeerOrigin('p'))
    const firstFolder = hub.spaces.folder('staff')!

    // Accepted with the link's secret, its own device record signed: the founder's phone sees it.
    await hub.meet()
    expect(c.roles().get(hub.keys.publicKey)).toBe('staff')
    expect(c.verdict().devices.get(hub.keys.publicKey)?.label).toBe('办公室中转站')
    // Its one-time link is used up: Devices no longer lists it as open.
    expect(c.verdict().openInvitations.filter((i) => i.role === 'staff')).toEqual([])
    expect(hub.lines.join('\n')).toMatch(/accepted its invitation/)
    expect(hub.lines.join('\n')).toMatch(/role staff/)
    expect(hub.spaces.accepted).toBe(true)

    // A staff phone is removed: the staff space is made anew, sealed to the founder and the hub.
    expect(await c.phone.trust.remove(c.staff.publicKey)).toBe(true)
    await hub.meet()
    const renewed = c.phone.staffKeyCalls.at(-1)!
    expect(renewed.room).not.toBe(STAFF.room)
    expect(hub.spaces.key('staff')).toEqual(renewed)
    expect(hub.open('staff')).toEqual([renewed.room])
    expect(hub.spaces.shelf('staff')!.docs.get(STANDING)!.getMap('elders').toJSON()).toEqual({ e1: { name: '王奶奶' } })
    expect(hub.spaces.shelf('staff')!.docs.get('2026-11')!.getMap('visits').toJSON()).toEqual({ '2026-11-03_v1': { ok: true } })
    expect(existsSync(firstFolder)).toBe(false)
    expect(readdirSync(hub.spaces.folder('staff')!).sort()).toEqual(['2026-11.ydoc', 'standing.ydoc'])
    expect(hub.lines.join('\n')).toMatch(/staff space was made anew .*moved its 2 docs to the new room/)
    // Remembered: a restart joins the new room, not the link's.
    expect(readHubState(dir)?.spaces.staff?.room).toBe(renewed.room)
    // The public space was made anew in the same removal: the hub moved it too, and keeps the old room offered.
    expect(hub.spaces.key('public')!.room).not.toBe(PUBLIC.room)
    expect(hub.open('public').sort()).toEqual([PUBLIC.room, hub.spaces.key('public')!.room].sort())

    // Staff remove the hub: it leaves both rooms, deletes its staff copy, and says so.
    const staffFolder = hub.spaces.folder('staff')!
    expect(await c.phone.trust.remove(hub.keys.publicKey)).toBe(true)
    await hub.meet()
    expect(c.phone.staffKeyCalls.at(-1)!.room).not.toBe(renewed.room)
    expect(hub.open('staff')).toEqual([])
    expect(hub.open('public')).toEqual([])
    expect(hub.spaces.key('staff')).toBeNull()
    expect(existsSync(staffFolder)).toBe(false)
    expect(hub.removed()).toBe(true)
    expect(hub.lines.join('\n')).toMatch(/Staff removed this hub .*deleted its copy of the staff space/)
    expect(readHubState(dir)?.removed).toBeTruthy()
    // The new staff space was not sealed to it.
    expect(c.verdict().staffSpace.rotation!.boxes.some((b) => b.to === hub.keys.publicKey)).toBe(false)
  })

  it('follows a renewal of the public space the same way, and goes on reading trust records there', async () => {
    const c = await trustCommunity()
    const link = await c.phone.trust.invite('staff', 'once')
    const hub = await startHub(join(root, 'public-renewal'), c, link!)
    hubsToClose.push(hub.hub)
    await hub.meet()
    expect(c.roles().get(hub.keys.publicKey)).toBe('staff')
    const firstFolder = hub.spaces.folder('public')!

    const fresh: SpaceKey = { room: 'public-room-2', secret: 'public-secret-abcdefghij' }
    const box = await seal(hub.keys.agreementKey, new TextEncoder().encode(JSON.stringify(fresh)))
    const rotation = { type: 'rotation', space: 'public', community: c.id, by: c.founder.publicKey, seq: 900, stamp: c.phone.clock.tick(), boxes: [{ to: hub.keys.publicKey, ...box }] } as Rotation
    await hub.hub.follow('public', rotation)
    expect(hub.spaces.key('public')).toEqual(fresh)
    // The old room stays offered, with its standing doc only, for phones that were away.
    expect(hub.open('public').sort()).toEqual([PUBLIC.room, fresh.room])
    expect(readdirSync(firstFolder)).toEqual(['standing.ydoc'])
    expect(readHubState(join(root, 'public-renewal'))?.former.map((f) => f.room)).toEqual([PUBLIC.room])
    // The trust records came along, and what arrives in the new room is still read.
    expect(hub.spaces.shelf('public')!.docs.get(STANDING)!.getMap('trust').size).toBeGreaterThan(0)
    expect(await c.phone.trust.grant(c.other.publicKey, 'lead')).toBe(true)
    await hub.meet()
    const state = hub.hub.trust.state()
    expect(state.checked && state.verdict.roles.get(c.other.publicKey)).toBe('lead')
    expect(hub.lines.join('\n')).toMatch(/public space was made anew/)
  })
})
