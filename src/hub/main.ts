import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { communityFolder, printable } from './text'
import { homedir, hostname } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import WebSocket from 'ws'
import type { SpaceKind } from '../domain/community'
import { HybridClock } from '../domain/hlc'
import { newId } from '../domain/ids'
import { SignedTrustSchema, type SignedTrust } from '../domain/trust'
import { isDocName, isDocNameNear } from '../store/space-docs'
import { keepSettingsIn, parseSignalingList } from '../sync/device'
import { InviteSchema, inviteProblem, readInvite, type Invite } from '../sync/invite'
import { PeerOrigin } from '../sync/replication'
import type { SpaceLink, SpaceSync } from '../sync/transport'
import type { KeptTrust } from '../trust/grants'
import type { DeviceKeys } from '../trust/keys'
import type { DiskShelf } from './disk-shelf'
import { fileSettings, FileStorage } from './file-storage'
import { loadHubKeys } from './hub-keys'
import { startHubTrust } from './hub-trust'
import { HubSpaces, readHubState, startAfresh, type Connect, type HubState } from './spaces'

// The community hub as a process with no browser: `npm run hub -- "<invite link>"`.
// It joins like any member, through the same signaling server and WebRTC (Node's
// WebRTC is node-datachannel), keeps every doc of the spaces its invite opens on disk,
// passes on what it receives, and logs what it syncs. Run again without a link, it
// resumes with what it holds. It is a member like a phone (hub-trust.ts): its own keys,
// its invitation accepted and its device record signed, so staff see it in Devices;
// removed there, it leaves; when a space is made anew with a key sealed to it, it moves.

const dataRoot = join(process.env.NEIGHBOURS_DATA ?? join(homedir(), '.local', 'share', 'neighbours'), 'hub')
const log = (...parts: unknown[]) => console.log(new Date().toISOString().slice(0, 19).replace('T', ' '), ...parts.map(printable))

/** A folder or file only this user may read (the space secrets are in it), whatever was there before. */
function privateDir(path: string) {
  mkdirSync(path, { recursive: true, mode: 0o700 })
  chmodSync(path, 0o700)
}
const writePrivate = (path: string, text: string) => {
  writeFileSync(path, text, { mode: 0o600 })
  chmodSync(path, 0o600)
}


/** The link: from a file (`--link-file invite.txt`, kept out of `ps` and shell history), or the command line. */
function linkGiven(): string | undefined {
  const at = process.argv.indexOf('--link-file')
  if (at < 0) return process.argv[2]
  const path = process.argv[at + 1]
  if (!path || !existsSync(path)) fail('--link-file needs a file that holds the invite link. --link-file 后面要写存有邀请链接的文件。')
  return readFileSync(path, 'utf8').trim()
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

/** The invite given now (and remembered), or the one remembered from before; `again` when it is the one remembered. */
function chooseInvite(): { invite: Invite; again: boolean } {
  const link = linkGiven()
  const saved = join(dataRoot, 'invite.json')
  const remembered = existsSync(saved) ? JSON.parse(readFileSync(saved, 'utf8')) : null
  if (link) {
    const invite = readInvite(link)
    if (!invite) fail('That is not a Neighbours invite link (it has no "#join=" part, or it is damaged). 这不是邻里的邀请链接。')
    privateDir(dataRoot)
    writePrivate(saved, JSON.stringify(invite))
    // The same link given at every start (a service's command line) is not a new invitation.
    return { invite, again: JSON.stringify(invite) === JSON.stringify(remembered) }
  }
  if (!remembered) fail('Usage: npm run hub -- "<invite link>"   (a staff invite gives the hub the staff space too)\n用法：npm run hub -- "<邀请链接>"')
  const parsed = v.safeParse(InviteSchema, remembered)
  if (!parsed.success) fail(`The remembered invite in ${saved} is damaged; run again with the link.`)
  return { invite: parsed.output, again: true }
}

/** This hub's device id, the same across restarts. */
function deviceId(): string {
  const path = join(dataRoot, 'device.json')
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')).deviceId
  const id = newId()
  mkdirSync(dataRoot, { recursive: true })
  writeFileSync(path, JSON.stringify({ deviceId: id }))
  return id
}

/** The trust records that checked out, kept beside the docs (a peer may delete them from the doc). */
function keptInFile(path: string): KeptTrust {
  return {
    read: async () => {
      if (!existsSync(path)) return []
      const stored: unknown = JSON.parse(readFileSync(path, 'utf8'))
      return Array.isArray(stored) ? stored.filter((t): t is SignedTrust => v.is(SignedTrustSchema, t)) : []
    },
    write: async (records) => {
      writeFileSync(`${path}.new`, JSON.stringify(records))
      renameSync(`${path}.new`, path)
    },
  }
}

async function main() {
  const { invite, again } = chooseInvite()
  await checkInvite(invite)
  const signaling = signalingOf(invite)
  const dir = communityDir(invite)
  const saved = stateIn(dir, invite, again)
  actAsBrowser(dir)
  const keys = await keysIn(dir)
  const { connectSpace } = await import('../sync/transport')
  const webrtc = await nodeWebRTC()
  // On a LAN the hub listens on every address; tests keep it to loopback.
  const rtcConfig = process.env.HUB_BIND_ADDRESS ? { bindAddress: process.env.HUB_BIND_ADDRESS } : {}
  const self = { device: deviceId(), label: (process.env.HUB_NAME ?? `hub@${hostname()}`).slice(0, 30) }

  const connect: Connect = (kind, key, shelf) => {
    const sync = connectSpace({ room: key.room, secret: key.secret, signaling, shelf, self, relay: true, isDocName: (name) => isDocNameNear(name), webrtc, rtcConfig })
    const stopLogging = logSync(kind, sync, shelf)
    return {
      async destroy() {
        stopLogging()
        await sync.destroy()
      },
    }
  }
  const spaces = await openSpaces(dir, invite, saved, again, connect)
  logHeld(spaces)

  let stopping = false
  const stop = async (code = 0) => {
    if (stopping) return
    stopping = true
    log('stopping')
    hub.close()
    await spaces.close()
    process.exit(code)
  }
  const hub = startHubTrust({
    community: invite.id,
    name: invite.name,
    founder: invite.founder!,
    keys,
    spaces,
    label: self.label,
    ...(invite.invitation ? { pending: invite.invitation } : {}),
    kept: keptInFile(join(dir, 'trust.json')),
    log,
    clock: new HybridClock(self.device),
    // Nothing is left to serve.
    onRemoved: () => void stop(0),
  })
  log(`Hub for "${invite.name}" is running as ${self.label} (device key ${keys.publicKey.slice(0, 8)}); signaling ${signaling.join(', ')}; data in ${dir}. Ctrl+C stops it.`)

  // A hub stays up: one peer's broken connection must not end it for everyone.
  process.on('uncaughtException', (error) => log('error (the hub carries on):', error instanceof Error ? error.message : error))
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

/** Ends the run unless the invite's community id was made from the founder key it names. */
async function checkInvite(invite: Invite): Promise<void> {
  const problem = await inviteProblem(invite)
  if (problem === 'noFounder') fail('This invite link names no founder key, so nothing it brings can be checked; ask staff for a new link from an up-to-date app. 这个邀请链接没有创建者密钥，无法核验，请工作人员重新生成。')
  if (problem) fail('This invite link does not belong to the community it names (its id was not made from its founder key). 这个邀请链接与社区不符。')
}

/** The signaling servers: SIGNALING_URL's, or else the invite's. */
function signalingOf(invite: Invite): string[] {
  const servers = parseSignalingList(process.env.SIGNALING_URL ?? (invite.signaling ?? []).join('\n'))
  if (servers.invalid.length > 0) fail(`These signaling addresses are not ws:// or wss:// addresses: ${servers.invalid.map((u) => JSON.stringify(printable(u))).join(', ')}. 信令服务器地址无效。`)
  const signaling = servers.urls
  if (signaling.length === 0) fail('The invite names no signaling server; give one: SIGNALING_URL=ws://<host>:4444 npm run hub')
  return signaling
}

/** The community's own folder, which only this user may read. */
function communityDir(invite: Invite): string {
  const dir = communityFolder(dataRoot, invite.id)
  // A hub that kept this community under its id before moves it to its hashed folder.
  const before = join(dataRoot, invite.id)
  if (!existsSync(dir) && existsSync(join(before, 'hub.json'))) renameSync(before, dir)
  privateDir(dir)
  return dir
}

/** What the hub remembers of the community; a removed hub serves again only with a new link. */
function stateIn(dir: string, invite: Invite, again: boolean): HubState | null {
  const saved = readHubState(dir)
  if (again && saved?.removed) {
    fail(`Staff removed this hub from "${invite.name}" (${saved.removed.slice(0, 10)}); it serves nothing until it is given a new invite link. 工作人员已将本中转站移出社区，请用新的邀请链接启动。`)
  }
  // A removed key never counts again: a new link after a removal gets a new key.
  if (saved?.removed) rmSync(join(dir, 'keys.json'), { force: true })
  return saved
}

/**
 * What the transport expects of a browser: a WebSocket, storage for sync times, and
 * no BroadcastChannel (lib0 would open one that keeps the process alive).
 */
function actAsBrowser(dir: string): void {
  Object.assign(globalThis, { WebSocket, localStorage: new FileStorage(join(dir, 'sync.json')) })
  delete (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel
}

/** This hub's keys. What a phone keeps in IndexedDB (its trust records' sequence number) is kept in a file. */
async function keysIn(dir: string): Promise<DeviceKeys> {
  return (async () => {
    keepSettingsIn(fileSettings(join(dir, 'settings.json')))
    return loadHubKeys(join(dir, 'keys.json'))
  })().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)))
}

/** Node's WebRTC classes (node-datachannel), in the shape simple-peer expects. */
async function nodeWebRTC(): Promise<NonNullable<SpaceLink['webrtc']>> {
  const polyfill = await import('node-datachannel/polyfill')
  // simple-peer rewrites the offer's sdp, which node-datachannel's descriptions do not allow: hand it plain ones.
  class PeerConnection extends polyfill.RTCPeerConnection {
    override async createOffer() {
      const { type, sdp } = await super.createOffer()
      return { type, sdp } as RTCSessionDescriptionInit
    }
    override async createAnswer() {
      const { type, sdp } = await super.createAnswer()
      return { type, sdp } as RTCSessionDescriptionInit
    }
  }
  return { RTCPeerConnection: PeerConnection as unknown as typeof RTCPeerConnection, RTCSessionDescription: polyfill.RTCSessionDescription, RTCIceCandidate: polyfill.RTCIceCandidate }
}

/** Logs each doc a peer sends into a space, and peers coming and going; returns what stops the log of docs. */
function logSync(kind: SpaceKind, sync: SpaceSync, shelf: DiskShelf): () => void {
  const labelOf = (peer: string) => sync.replicator.connected().find((p) => p.id === peer)?.label || peer.slice(0, 8)
  const stopLogging = shelf.onChange((name, update, origin) => {
    if (origin instanceof PeerOrigin) log(`${kind} ${name} ← ${labelOf(origin.peer)} (${update.length} bytes)`)
  })
  let peers = new Set<string>()
  sync.onChange(() => {
    const now = new Set(sync.replicator.connected().map((p) => p.id))
    for (const id of now) if (!peers.has(id)) log(`${kind}: a peer connected (${sync.status().peers} now)`)
    for (const id of peers) if (!now.has(id)) log(`${kind}: a peer left (${sync.status().peers} now)`)
    peers = now
  })
  return stopLogging
}

/** The spaces this run serves: those held before, or those the new link opens. */
async function openSpaces(dir: string, invite: Invite, saved: HubState | null, again: boolean, connect: Connect): Promise<HubSpaces> {
  // A new link starts afresh (its invitation is accepted, its keys held) but keeps the docs it has.
  const spaces = new HubSpaces(dir, again && saved ? saved : startAfresh(saved), { connect, isDocName })
  const wanted = again && saved ? { public: spaces.key('public'), staff: spaces.key('staff') } : { public: invite.public, staff: invite.staff ?? null }
  for (const kind of ['public', 'staff'] as const) {
    const key = wanted[kind]
    if (key) await spaces.hold(kind, key)
    else if (spaces.key(kind)) await spaces.drop(kind)
  }
  return spaces
}

/** Logs the docs held in each space, and the public rooms left behind that are still served. */
function logHeld(spaces: HubSpaces): void {
  for (const kind of ['public', 'staff'] as const) {
    const shelf = spaces.shelf(kind)
    if (shelf) log(`${kind} space: holding ${shelf.names().length} docs (${shelf.names().sort().join(', ') || 'none yet'})`)
  }
  for (const { room, until } of spaces.serveFormer()) log(`public space left behind (room ${room.slice(0, 8)}): its standing doc is offered until ${until}, for phones that were away`)
}

void main()
