import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { datedId } from '../../src/domain/ids'
import { entryKey } from '../../src/domain/places'
import { publishShift, readShiftData, signUp } from '../../src/store/shifts'
import { COLLECTION_SET, publicSpace } from '../../src/store/layout'
import { REFUSED } from '../../src/store/space-docs'
import { QUOTA } from '../../src/trust/signatures'
import { FrameAssembler, splitIntoFrames } from '../../src/sync/chunking'
import { MAX_MESSAGE_BYTES } from '../../src/sync/limits'
import { MemoryShelf, Replicator } from '../../src/sync/replication'
import { community, communityWithShift, meet, MONTH, settle, TODAY, type Device } from './peers'

// Hole 8: one peer could flood a device or a hub. Nothing bounded the size of a message
// or an update, a peer could fill collections the app never reads (stored and relayed
// for ever), and a resident could write any number of records. Now replication drops
// oversize messages and refuses whole any update that makes a top-level type the layout
// does not declare, and the gate refuses every record of an author past its quota in
// one collection of one doc; each refusal is counted for Diagnostics.

const draft = { title: '送餐', category: 'delivery' as const, place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 3, notes: '', skill: '' }

/**
 * Bob's modified app: `count` sign-ups for shifts made up on the spot, written straight
 * into the collection past every check a command makes, each signed by his own device
 * as any write is. Returns what is new in his month doc: what he sends.
 */
async function floodOfSignups(bob: Device, count: number): Promise<Uint8Array> {
  const doc = bob.docs.open(MONTH)
  const before = Y.encodeStateVector(doc)
  const stamp = bob.clock.tick()
  bob.docs.transact(() => {
    for (let i = 0; i < count; i++) {
      const recordId = datedId(TODAY)
      const key = entryKey(recordId, 'bob')
      publicSpace(bob.docs).signups.put(key, { id: key, recordId, personId: 'bob', personName: 'bob', stamp, active: true, updatedAt: stamp, byId: 'bob', byName: 'bob', sawPlace: true })
    }
  })
  await bob.gate.ownSigned()
  return Y.encodeStateAsUpdate(doc, before)
}

/** The sign-ups of Bob's that a device shows (the gate's reading of each key; made-up shifts have no card to show them on). */
function bobsSignups(d: Device): number {
  let shown = 0
  publicSpace(d.docs).signups.forEach((value) => {
    if (value !== REFUSED && (value as { personId?: string }).personId === 'bob') shown++
  })
  return shown
}
const overQuota = (d: Device, author: string) => d.gate.refused().filter((r) => r.why === 'overQuota' && r.author === author).length

describe('a resident floods a month with records', () => {
  it('past the quota every one of his records there is refused, on every device and in any order; at the quota none is', async () => {
    const { staff, alice, bob, all, shiftId } = await communityWithShift(draft)
    for (const d of [alice, bob]) expect(signUp(d.docs, d.clock, shiftId, d.person, d.person).ok).toBe(true)
    await settle(all)
    meet(all)
    await settle(all)
    // Exactly the quota, with his honest sign-up: an honest heavy writer never notices.
    const upToQuota = await floodOfSignups(bob, QUOTA.resident - 1)
    const oneMore = await floodOfSignups(bob, 1)
    // Alice hears the first part, then the last record: what she showed goes away.
    Y.applyUpdate(alice.docs.open(MONTH), upToQuota)
    await settle([alice])
    expect(bobsSignups(alice)).toBe(QUOTA.resident)
    expect(overQuota(alice, bob.keys.publicKey)).toBe(0)
    Y.applyUpdate(alice.docs.open(MONTH), oneMore)
    await settle([alice])
    // Staff hears it all at once, the other way round.
    Y.applyUpdate(staff.docs.open(MONTH), oneMore)
    Y.applyUpdate(staff.docs.open(MONTH), upToQuota)
    await settle([staff])
    for (const d of [staff, alice]) {
      const data = readShiftData(d.docs)
      expect(bobsSignups(d), d.name).toBe(0)
      // Alice's sign-up is untouched; Bob's own honest one goes with his flood.
      expect(data.signups.map((s) => s.personId), d.name).toEqual(['alice'])
      // Counted and listed, each record with its author, as Diagnostics shows them.
      expect(overQuota(d, bob.keys.publicKey), d.name).toBe(QUOTA.resident + 1)
    }
    // Both converge on the same view once they meet.
    meet([staff, alice])
    await settle([staff, alice])
    expect(readShiftData(staff.docs).signups).toEqual(readShiftData(alice.docs).signups)
  }, 60_000)

  it('records that only claim an honest author do not push her over her quota', async () => {
    const { staff, alice, bob } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, draft, TODAY)
    if (!shift.ok) throw new Error('no shift')
    await settle([staff, alice])
    meet([staff, alice])
    await settle([staff, alice])
    expect(signUp(alice.docs, alice.clock, shift.value.id, alice.person, alice.person).ok).toBe(true)
    await settle([staff, alice])
    meet([staff, alice])
    await settle([staff, alice])
    // Bob's app writes Alice's key into `by` of a flood it cannot sign as her.
    const raw = new Y.Doc()
    const stamp = bob.clock.tick()
    raw.transact(() => {
      for (let i = 0; i <= QUOTA.resident; i++) {
        const recordId = datedId(TODAY)
        const key = entryKey(recordId, 'alice')
        raw.getMap('signups').set(key, { id: key, recordId, personId: 'alice', personName: 'alice', stamp, active: true, updatedAt: stamp, byId: 'alice', byName: 'alice', sawPlace: true, sig: { by: alice.keys.publicKey, s: new Uint8Array(64).fill(7) } })
      }
    })
    Y.applyUpdate(staff.docs.open(MONTH), Y.encodeStateAsUpdate(raw))
    await settle([staff])
    expect(overQuota(staff, alice.keys.publicKey)).toBe(0)
    expect(staff.gate.refused().filter((r) => r.why === 'badSignature')).toHaveLength(QUOTA.resident + 1)
    expect(readShiftData(staff.docs).signups.map((s) => s.personId)).toEqual(['alice'])
  }, 60_000)
})

/** Two replicators joined by a link delivered by hand, as in the protocol's unit tests. */
function linked(a: Replicator, b: Replicator, aId: string, bId: string) {
  const toB: Uint8Array[] = []
  const toA: Uint8Array[] = []
  a.connect(bId, (m) => toB.push(m))
  b.connect(aId, (m) => toA.push(m))
  return async () => {
    for (let round = 0; round < 50; round++) {
      await Promise.all([a.idle(), b.idle()])
      if (toA.length === 0 && toB.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        if (toA.length === 0 && toB.length === 0) return
      }
      while (toB.length) b.receive(aId, toB.shift()!)
      while (toA.length) a.receive(bId, toA.shift()!)
    }
  }
}

const isCollection = (name: string) => COLLECTION_SET.has(name)

describe('a tampered client sends junk a device would keep and a hub pass on', () => {
  it('an update that makes a collection the app never reads is refused whole, not stored, not relayed, and counted', async () => {
    const attacker = new MemoryShelf(() => true)
    const hubShelf = new MemoryShelf(() => true)
    const phoneShelf = new MemoryShelf(() => true)
    const evil = new Replicator(attacker, { self: { device: 'evil', label: 'evil' } })
    const hub = new Replicator(hubShelf, { self: { device: 'hub', label: 'hub' }, relay: true, isCollection })
    const phone = new Replicator(phoneShelf, { self: { device: 'phone', label: 'phone' }, isCollection })
    const hubToPhone = linked(hub, phone, 'hub', 'phone')
    const evilToHub = linked(evil, hub, 'evil', 'hub')
    // Honest content goes through.
    attacker.open(MONTH).getMap('notices').set(`${MONTH}_n1`, { title: 'ok' })
    await evilToHub()
    await hubToPhone()
    expect(phoneShelf.docs.get(MONTH)?.getMap('notices').get(`${MONTH}_n1`)).toEqual({ title: 'ok' })
    // Then a megabyte of junk under a name no screen reads, mixed with a real collection's record.
    const junk = attacker.open(MONTH)
    junk.transact(() => {
      junk.getMap('notices').set(`${MONTH}_n2`, { title: 'rides along' })
      junk.getArray('x').push(Array.from({ length: 1000 }, (_, i) => 'j'.repeat(1000) + i))
    })
    await evilToHub()
    await hubToPhone()
    for (const shelf of [hubShelf, phoneShelf]) {
      const doc = shelf.docs.get(MONTH)!
      expect([...doc.share.keys()]).toEqual(['notices'])
      expect(doc.getMap('notices').has(`${MONTH}_n2`)).toBe(false)
    }
    expect(hub.refusals.unknownCollections).toBeGreaterThanOrEqual(1)
    expect(phone.refusals.unknownCollections).toBe(0)
    // The hub still carries honest changes afterwards (from a peer whose doc holds no junk).
    const honest = new MemoryShelf(() => true)
    const good = new Replicator(honest, { self: { device: 'good', label: 'good' } })
    const goodToHub = linked(good, hub, 'good', 'hub')
    Y.applyUpdate(honest.open(MONTH), Y.encodeStateAsUpdate(phoneShelf.docs.get(MONTH)!))
    honest.open(MONTH).getMap('notices').set(`${MONTH}_n3`, { title: 'later' })
    await goodToHub()
    await hubToPhone()
    expect(phoneShelf.docs.get(MONTH)?.getMap('notices').get(`${MONTH}_n3`)).toEqual({ title: 'later' })
    for (const r of [evil, hub, phone, good]) r.destroy()
  }, 30_000)

  it('a message over the limit is dropped and counted; the connection goes on', async () => {
    const shelf = new MemoryShelf(() => true)
    const phone = new Replicator(shelf, { self: { device: 'phone', label: 'phone' }, isCollection })
    phone.connect('evil', () => {})
    // A DATA message (type 2) for this month whose update is 64 MiB of nothing.
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 2)
    encoding.writeVarString(encoder, MONTH)
    encoding.writeVarUint8Array(encoder, new Uint8Array(MAX_MESSAGE_BYTES))
    phone.receive('evil', encoding.toUint8Array(encoder))
    await phone.idle()
    expect(phone.refusals.oversize).toBe(1)
    expect(shelf.holds(MONTH)).toBe(false)
    // The same peer's honest update after it is taken.
    const honest = new Y.Doc()
    honest.getMap('notices').set(`${MONTH}_n1`, { title: 'ok' })
    const data = encoding.createEncoder()
    encoding.writeVarUint(data, 2)
    encoding.writeVarString(data, MONTH)
    encoding.writeVarUint8Array(data, Y.encodeStateAsUpdate(honest))
    phone.receive('evil', encoding.toUint8Array(data))
    await phone.idle()
    expect(shelf.docs.get(MONTH)?.getMap('notices').get(`${MONTH}_n1`)).toEqual({ title: 'ok' })
    phone.destroy()
  })

  it('frames past the largest message are not kept as they arrive; the next message is whole', () => {
    let dropped = 0
    const assembler = new FrameAssembler(MAX_MESSAGE_BYTES, () => dropped++)
    const payload = 64 * 1024 - 1
    // A modified sender streams frames that never end, more than the limit.
    const frame = new Uint8Array(payload + 1)
    frame[0] = 0
    for (let sent = 0; sent <= MAX_MESSAGE_BYTES + payload; sent += payload) expect(assembler.push(frame)).toBeNull()
    expect(dropped).toBe(1)
    // Its last frame ends the dropped message, and what follows is taken again.
    const last = new Uint8Array(2)
    last[0] = 1
    expect(assembler.push(last)).toBeNull()
    const honest = new Uint8Array(200_000).map((_, i) => i % 251)
    let whole: Uint8Array | null = null
    for (const part of splitIntoFrames(honest)) whole = assembler.push(part) ?? whole
    expect(whole).toEqual(honest)
    expect(dropped).toBe(1)
  })

  it('an honest month of a large community (8 MB in one message) passes every limit', async () => {
    const sender = new MemoryShelf(() => true)
    const receiver = new MemoryShelf(() => true)
    const a = new Replicator(sender, { self: { device: 'a', label: 'a' } })
    const b = new Replicator(receiver, { self: { device: 'b', label: 'b' }, isCollection })
    const doc = sender.open(MONTH)
    doc.transact(() => {
      for (let i = 0; i < 16_000; i++) doc.getMap('reservations').set(`${MONTH}-23|lunch|E${i}`, { id: `r${i}`, note: 'n'.repeat(480), sig: { by: 'k', s: new Uint8Array(64) } })
    })
    const size = Y.encodeStateAsUpdate(doc).length
    expect(size).toBeGreaterThan(8_000_000)
    // Through the framing too, as a data channel carries it.
    const frames = new FrameAssembler()
    const flush = linked(a, b, 'a', 'b')
    const receive = b.receive.bind(b)
    b.receive = (id, message) => {
      let whole: Uint8Array | null = null
      for (const part of splitIntoFrames(message)) whole = frames.push(part) ?? whole
      receive(id, whole!)
    }
    await flush()
    expect(receiver.docs.get(MONTH)?.getMap('reservations').size).toBe(16_000)
    expect(b.refusals).toEqual({ oversize: 0, unknownCollections: 0 })
    a.destroy()
    b.destroy()
  }, 60_000)
})
