import * as Y from 'yjs'
import { decodeMessage, encodeMessage, WIRE_VERSION, type WireMessage } from './wire'
import { MAX_MESSAGE_BYTES, MAX_UPDATE_BYTES, noRefusals, topLevelNames, type TrafficRefusals } from './limits'

// Replication of all of a space's docs (the standing doc and every month) over one
// connection per peer. It knows nothing of WebRTC: a peer is something to send bytes
// to, so the same code runs in the app, in the hub process and in tests.
//
// When two devices meet, each sends a digest of every doc it holds (a hash of the
// doc's state vector and delete set). For every doc it holds or keeps whose digest
// differs, a device answers with its state (digest + state vector); whoever holds
// something the other lacks sends the difference. After taking data in, a device
// tells the sender its new state, and that is the only thing that confirms a change
// is held elsewhere. Later changes go straight to the peers that hold that doc; a
// peer that does not hold it yet hears the new doc's digest and decides for itself.
//
// A device sends a peer the same state of a doc at most once per connection, so
// two devices that cannot agree (a change waiting for one neither has) stop talking.

export type DocName = string

/** What this device holds of one space, open for screens or only stored. */
export interface Shelf {
  /** Every doc this device holds now. */
  names(): DocName[]
  holds(name: DocName): boolean
  /** Whether this device wants a doc it may not hold yet (its window of months, a doc on screen, or every doc on a hub). */
  keeps(name: DocName): boolean
  /** Whether a screen shows this doc now: such docs are asked for first. */
  shown(name: DocName): boolean
  /** The doc's state vector and digest (an empty doc's, if not held). */
  state(name: DocName): Promise<DocState>
  /** What a holder of `stateVector` lacks (structs after it, and the whole delete set). */
  diff(name: DocName, stateVector: Uint8Array): Promise<Uint8Array>
  /** Merges an update; resolves once it is applied (and for a stored doc, written). */
  apply(name: DocName, update: Uint8Array, origin: PeerOrigin): Promise<void>
  /** Every change to any held doc except loads from storage, with the update and its origin. */
  onChange(listener: (name: DocName, update: Uint8Array, origin: unknown) => void): () => void
}

export interface DocState {
  stateVector: Uint8Array
  digest: string
}

/** The origin of updates taken from a peer, so they are not sent back to it. */
export class PeerOrigin {
  constructor(readonly peer: string) {}
}

/** More doc names than a space could hold in decades; a peer listing more is ignored past it. */
const MAX_NAMES = 2000
/** How long a device waits after taking data in before it says what it now holds. */
const SETTLE_MS = 150

/** The device on the other end, as it introduced itself. */
export interface PeerInfo {
  device: string
  label: string
}

export interface PeerView extends PeerInfo {
  id: string
  connectedAt: number
  /** When a doc last came in from or went to this peer, or a digest matched. */
  syncedAt: number | null
  /** Docs this peer said it holds. */
  holds: number
}

interface Peer extends Omit<PeerView, 'holds'> {
  send: (message: Uint8Array) => void
  /** Digest of each doc the peer holds, as it last told us. */
  digests: Map<DocName, string>
  /** The last state of each doc told to this peer (sent at most once each). */
  told: Map<DocName, string>
  /** Docs whose state the peer should hear once data settles. */
  stateBatch: Batch
  /** New docs to announce to this peer. */
  announceBatch: Batch
  queue: Promise<void>
  /** The protocol this peer speaks (sync/wire.ts): ours until it shows it speaks an older one. */
  version: number
}

export interface ReplicatorOptions {
  /** Who this device is, told to every peer when they meet. */
  self: PeerInfo
  /** A hub passes on what it receives to every other peer that holds the doc. */
  relay?: boolean
  /** Doc names a peer may mention; anything else it says about docs is ignored. */
  isDocName?: (name: DocName) => boolean
  /**
   * The collections a doc may hold (store/layout.ts). An update that puts anything
   * under another top-level name is refused whole: nothing reads it, yet every device
   * would store it and a hub pass it on for ever. Without it, any name is taken.
   */
  isCollection?: (name: string) => boolean
  /** What peers confirmed holding before (persisted by the caller). */
  confirmed?: Map<DocName, Map<number, number>>
  now?: () => number
  /** Timers for the short waits (tests pass their own clock). */
  timers?: Timers
}

export interface Timers {
  set(run: () => void, ms: number): unknown
  clear(handle: unknown): void
}

const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

type StateVector = Map<number, number>

/** Doc names gathered for one message, sent once things settle. */
interface Batch {
  names: Set<DocName>
  timer: unknown
}


/** A doc's state, with the digest worked out only if asked for (it walks the whole doc). */
export function stateOf(doc: Y.Doc): DocState {
  let digest: string | undefined
  return {
    stateVector: Y.encodeStateVector(doc),
    get digest() {
      return (digest ??= docDigest(doc))
    },
  }
}

/** A digest of a doc's state vector and delete set: equal digests, equal docs. */
export function docDigest(doc: Y.Doc): string {
  return hashBytes(Y.encodeSnapshot(Y.snapshot(doc)))
}

/** 64-bit FNV-1a in two 32-bit lanes, as hex; not cryptographic, only a quick "same or not". */
export function hashBytes(bytes: Uint8Array): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ bytes.length
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i]!, 0x01000193)
    b = Math.imul(b ^ bytes[i]!, 0x5bd1e995) ^ (b >>> 15)
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')
}

/** Whether `holder` has every change `of` has (client → clock). */
export function covers(holder: StateVector, of: StateVector): boolean {
  for (const [client, clock] of of) if ((holder.get(client) ?? 0) < clock) return false
  return true
}

function mergeInto(into: StateVector, from: StateVector): void {
  for (const [client, clock] of from) if ((into.get(client) ?? 0) < clock) into.set(client, clock)
}

export class Replicator {
  private readonly peers = new Map<string, Peer>()
  /** Per doc, the newest state any peer showed it holds: what is confirmed to be elsewhere. */
  readonly confirmed: Map<DocName, StateVector>
  /** Messages from peers that could not be read (skipped, counted). */
  unreadable = 0
  /** Messages and updates refused by the limits (sync/limits.ts), counted for Diagnostics. */
  readonly refusals: TrafficRefusals = noRefusals()
  private readonly listeners = new Set<() => void>()
  private readonly stopWatching: () => void
  private readonly now: () => number
  private readonly timers: Timers

  constructor(
    private readonly shelf: Shelf,
    private readonly options: ReplicatorOptions,
  ) {
    this.confirmed = options.confirmed ?? new Map()
    this.now = options.now ?? Date.now
    this.timers = options.timers ?? realTimers
    this.stopWatching = shelf.onChange((name, update, origin) => this.changed(name, update, origin))
  }

  /** A peer's data channel is open: introduce ourselves with what we hold. */
  connect(id: string, send: (message: Uint8Array) => void): void {
    this.disconnect(id)
    const peer: Peer = {
      id, send, device: '', label: '', connectedAt: this.now(), syncedAt: null,
      digests: new Map(), told: new Map(), queue: Promise.resolve(),
      stateBatch: { names: new Set(), timer: undefined }, announceBatch: { names: new Set(), timer: undefined },
      version: WIRE_VERSION,
    }
    this.peers.set(id, peer)
    this.enqueue(peer, async () => this.sendDigests(peer, this.shelf.names()))
    this.emit()
  }

  disconnect(id: string): void {
    const peer = this.peers.get(id)
    if (!peer) return
    this.timers.clear(peer.stateBatch.timer)
    this.timers.clear(peer.announceBatch.timer)
    this.peers.delete(id)
    this.emit()
  }

  receive(id: string, message: Uint8Array): void {
    const peer = this.peers.get(id)
    if (!peer) return
    // (The framing drops larger ones before they are whole; this holds for any carrier.)
    if (message.length > MAX_MESSAGE_BYTES) return this.refuse('oversize')
    this.enqueue(peer, () => this.read(peer, message))
  }

  /** Counts something refused from a peer (Diagnostics reads the counts). */
  refuse(why: keyof TrafficRefusals): void {
    this.refusals[why]++
    this.emit()
  }

  /** A doc was just opened on a screen here: ask every peer for what it has of it. */
  fetch(name: DocName): void {
    for (const peer of this.peers.values()) this.enqueue(peer, () => this.tellState(peer, name, true))
  }

  /** The peers connected now. */
  connected(): PeerView[] {
    return [...this.peers.values()].map(({ id, device, label, connectedAt, syncedAt, digests }) => ({ id, device, label, connectedAt, syncedAt, holds: digests.size }))
  }

  /** Held docs with changes no peer has confirmed holding. */
  async unconfirmed(): Promise<DocName[]> {
    const names: DocName[] = []
    for await (const name of this.uncovered()) names.push(name)
    return names
  }

  /** Whether any held doc has changes no peer has confirmed holding (the sync state's "on this phone only"). */
  async anyUnconfirmed(): Promise<boolean> {
    for await (const _ of this.uncovered()) return true
    return false
  }

  /**
   * Held docs not covered by what peers confirmed, open ones first: the state of a doc
   * only stored may mean reading the whole month from the disk (seconds on a cheap
   * phone), and with no peer yet an open doc already answers "not all confirmed".
   */
  private async *uncovered(): AsyncGenerator<DocName> {
    const names = this.shelf.names()
    for (const name of [...names.filter((n) => this.shelf.shown(n)), ...names.filter((n) => !this.shelf.shown(n))]) {
      const { stateVector } = await this.shelf.state(name)
      if (!covers(this.confirmed.get(name) ?? new Map(), Y.decodeStateVector(stateVector))) yield name
    }
  }

  /** Resolves once every message received so far has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.peers.values()].map((peer) => peer.queue))
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    for (const id of [...this.peers.keys()]) this.disconnect(id)
    this.stopWatching()
    this.listeners.clear()
  }

  private emit() {
    this.listeners.forEach((listener) => listener())
  }

  private enqueue(peer: Peer, work: () => Promise<void>): void {
    peer.queue = peer.queue.then(work).catch((error) => {
      this.unreadable++
      console.warn('replication: skipped a message', error)
    })
  }

  private confirm(name: DocName, stateVector: StateVector, peer: Peer): void {
    let held = this.confirmed.get(name)
    if (!held) this.confirmed.set(name, (held = new Map()))
    mergeInto(held, stateVector)
    peer.syncedAt = this.now()
    this.emit()
  }

  private wanted(name: DocName): boolean {
    return this.validName(name) && (this.shelf.holds(name) || this.shelf.keeps(name))
  }

  private validName(name: DocName): boolean {
    return this.options.isDocName?.(name) ?? true
  }

  // ---- sending

  private send(peer: Peer, message: WireMessage): void {
    peer.send(encodeMessage(message, peer.version))
  }

  private async sendDigests(peer: Peer, names: DocName[]): Promise<void> {
    const docs = await Promise.all(names.map(async (name): Promise<[string, string]> => [name, (await this.shelf.state(name)).digest]))
    this.send(peer, { type: 'digests', device: this.options.self.device, label: this.options.self.label, docs })
  }

  /** Tells a peer what this device holds of a doc, unless it was told exactly that already. */
  private async tellState(peer: Peer, name: DocName, evenIfTold = false): Promise<void> {
    const { stateVector, digest } = await this.shelf.state(name)
    if (!evenIfTold && peer.told.get(name) === digest) return
    peer.told.set(name, digest)
    this.send(peer, { type: 'state', name, digest, stateVector })
  }

  /** `held`: the sender's state vector, when it is known to cover the update (an answer to a peer's state). */
  private sendData(peer: Peer, name: DocName, update: Uint8Array, held?: Uint8Array): void {
    this.send(peer, { type: 'data', name, update, held: held ?? null })
    peer.syncedAt = this.now()
  }

  /** Adds a doc to a batch for this peer; once nothing is added for a moment, `send` gets them all. */
  private soon(peer: Peer, batch: Batch, name: DocName, send: (names: DocName[]) => Promise<void>): void {
    batch.names.add(name)
    this.timers.clear(batch.timer)
    batch.timer = this.timers.set(() => {
      const names = [...batch.names]
      batch.names.clear()
      this.enqueue(peer, () => send(names))
    }, SETTLE_MS)
  }

  /** After data comes in from a peer, say what we now hold (once it settles): that confirms it. */
  private stateSoon(peer: Peer, name: DocName): void {
    this.soon(peer, peer.stateBatch, name, async (names) => {
      for (const n of names) await this.tellState(peer, n)
    })
  }

  private announceSoon(peer: Peer, name: DocName): void {
    this.soon(peer, peer.announceBatch, name, (names) => this.sendDigests(peer, names))
  }

  /** A change to a held doc: to every peer holding it, except where it came from. */
  private changed(name: DocName, update: Uint8Array, origin: unknown): void {
    const from = origin instanceof PeerOrigin ? origin.peer : null
    if (from !== null && !this.options.relay) {
      this.emit()
      return
    }
    for (const peer of this.peers.values()) {
      if (peer.id === from) continue
      if (peer.digests.has(name)) this.sendData(peer, name, update)
      else this.announceSoon(peer, name)
    }
    this.emit()
  }

  // ---- receiving

  private async read(peer: Peer, bytes: Uint8Array): Promise<void> {
    const { version, message } = decodeMessage(bytes)
    if (version < peer.version) {
      // An older build: from now on it is answered in its own protocol, and told again
      // what this device holds (it could not read what was sent before).
      peer.version = version
      this.enqueue(peer, () => this.sendDigests(peer, this.shelf.names()))
    }
    switch (message.type) {
      case 'digests': {
        peer.device = message.device.slice(0, 64)
        peer.label = message.label.slice(0, 64)
        const offered: [DocName, string][] = []
        for (const [name, digest] of message.docs) {
          if (!this.validName(name)) continue
          if (peer.digests.size < MAX_NAMES || peer.digests.has(name)) peer.digests.set(name, digest)
          offered.push([name, digest])
        }
        // What a screen shows first: the rest arrives after it, on the same ordered channel.
        offered.sort(([a], [b]) => Number(this.shelf.shown(b)) - Number(this.shelf.shown(a)))
        for (const [name, digest] of offered) {
          if (!this.wanted(name)) continue
          const mine = await this.shelf.state(name)
          if (mine.digest === digest) this.confirm(name, Y.decodeStateVector(mine.stateVector), peer)
          else await this.tellState(peer, name)
        }
        this.emit()
        return
      }
      case 'state': {
        const { name, digest, stateVector } = message
        if (!this.validName(name)) return
        const theirs = Y.decodeStateVector(stateVector)
        peer.digests.set(name, digest)
        this.confirm(name, theirs, peer)
        if (!this.shelf.holds(name)) {
          // Not held here: ask for it if this device keeps such a doc.
          if (this.shelf.keeps(name)) await this.tellState(peer, name)
          return
        }
        const mine = await this.shelf.state(name)
        if (mine.digest === digest) return
        // Different: send what they lack (the delete set always rides along), and say
        // what we hold so they can send what we lack.
        this.sendData(peer, name, await this.shelf.diff(name, stateVector), mine.stateVector)
        await this.tellState(peer, name)
        return
      }
      case 'data': {
        // An answer to this device's state carries the sender's state vector (reading a
        // month's update through to learn it cost a joining phone a fifth of a second).
        const { name, update, held } = message
        if (!this.wanted(name)) return
        if (update.length > MAX_UPDATE_BYTES) return this.refuse('oversize')
        // Before it is applied, stored or passed on. (A peer holding such junk from before
        // keeps sending it: that doc then stays as it is here until the junk is gone there.)
        const isCollection = this.options.isCollection
        if (isCollection && [...topLevelNames(update)].some((collection) => !isCollection(collection))) return this.refuse('unknownCollections')
        await this.shelf.apply(name, update, new PeerOrigin(peer.id))
        // The sender holds what it sent and everything before it from the same writers
        // (it sends only what it has taken in whole).
        peer.digests.set(name, peer.digests.get(name) ?? '')
        this.confirm(name, held ? Y.decodeStateVector(held) : Y.parseUpdateMeta(update).to, peer)
        this.stateSoon(peer, name)
        return
      }
    }
  }
}

/** A shelf over docs held in memory (tests, and the hub process before it writes to disk). */
/**
 * A shelf that offers what it holds and takes nothing in: a public room left behind
 * (session `formerPublic`, the hub's `serveFormer`). Its standing doc must stay as it
 * was, since it holds the record that tells a phone that was away where everyone went;
 * whoever still holds the old secret (the removed device) could otherwise delete it.
 */
export function sendOnly<T extends Shelf>(shelf: T): T {
  return new Proxy(shelf, {
    get(target, property) {
      if (property === 'apply') return async () => {}
      if (property === 'keeps') return (name: DocName) => target.holds(name)
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

export class MemoryShelf implements Shelf {
  readonly docs = new Map<DocName, Y.Doc>()
  private readonly listeners = new Set<(name: DocName, update: Uint8Array, origin: unknown) => void>()

  constructor(private readonly keepsDoc: (name: DocName) => boolean) {}

  /** Opens (or creates) a doc; it is held from now on. */
  open(name: DocName): Y.Doc {
    let doc = this.docs.get(name)
    if (doc) return doc
    doc = new Y.Doc()
    this.docs.set(name, doc)
    doc.on('update', (update: Uint8Array, origin: unknown) => this.listeners.forEach((l) => l(name, update, origin)))
    return doc
  }

  names(): DocName[] {
    return [...this.docs.keys()]
  }
  holds(name: DocName): boolean {
    return this.docs.has(name)
  }
  keeps(name: DocName): boolean {
    return this.keepsDoc(name)
  }
  shown(): boolean {
    return false
  }
  async state(name: DocName): Promise<DocState> {
    return stateOf(this.docs.get(name) ?? new Y.Doc())
  }
  async diff(name: DocName, stateVector: Uint8Array): Promise<Uint8Array> {
    return Y.encodeStateAsUpdate(this.docs.get(name) ?? new Y.Doc(), stateVector)
  }
  async apply(name: DocName, update: Uint8Array, origin: PeerOrigin): Promise<void> {
    Y.applyUpdate(this.open(name), update, origin)
  }
  onChange(listener: (name: DocName, update: Uint8Array, origin: unknown) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
