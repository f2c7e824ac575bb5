import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { isConfirmed, type SyncActivity } from '../../src/sync/activity'
import { covers, docDigest, MemoryShelf, Replicator } from '../../src/sync/replication'

// The replication protocol between two devices, message by message: what they say
// when they meet, what they skip, what confirms a change, and what a peer's junk does.

const activity = (over: Partial<SyncActivity>): SyncActivity => ({ lastReceivedAt: null, lastSentAt: null, lastLocalChangeAt: null, confirmedAt: null, unshared: false, ...over })

/** Two devices joined by a link that delivers when asked, counting messages each way. */
function pair(keepsA: (name: string) => boolean = () => true, keepsB: (name: string) => boolean = () => true) {
  const a = new MemoryShelf(keepsA)
  const b = new MemoryShelf(keepsB)
  const ra = new Replicator(a, { self: { device: 'a', label: 'A' } })
  const rb = new Replicator(b, { self: { device: 'b', label: 'B' } })
  const toB: Uint8Array[] = []
  const toA: Uint8Array[] = []
  const sent = { toA: 0, toB: 0, bytesToB: 0 }
  const meet = () => {
    ra.connect('b', (m) => { toB.push(m); sent.toB++; sent.bytesToB += m.length })
    rb.connect('a', (m) => { toA.push(m); sent.toA++ })
  }
  const flush = async () => {
    for (let round = 0; round < 100; round++) {
      await Promise.all([ra.idle(), rb.idle()])
      if (toB.length === 0 && toA.length === 0) {
        // Let the short settling waits run, then see whether they said anything.
        await new Promise((resolve) => setTimeout(resolve, 200))
        await Promise.all([ra.idle(), rb.idle()])
        if (toB.length === 0 && toA.length === 0) return
      }
      while (toB.length) rb.receive('a', toB.shift()!)
      while (toA.length) ra.receive('b', toA.shift()!)
    }
  }
  return { a, b, ra, rb, meet, flush, sent }
}

describe('replication between two devices', () => {
  it('sends only the docs that differ, and confirms the rest at once', async () => {
    const { a, b, ra, meet, flush, sent } = pair()
    for (const shelf of [a, b]) shelf.open('standing')
    a.open('2026-11').getMap('m').set('2026-11-x', 1)
    Y.applyUpdate(b.open('2026-11'), Y.encodeStateAsUpdate(a.docs.get('2026-11')!))
    a.open('2026-12').getMap('m').set('2026-12-y', 2)
    meet()
    await flush()
    expect(b.docs.get('2026-12')?.getMap('m').get('2026-12-y')).toBe(2)
    expect(await ra.unconfirmed()).toEqual([])
    // a → b: digests, then a state and the difference for the one doc b lacked, then nothing more.
    expect(sent.toB).toBeLessThanOrEqual(3)
  })

  it('a device does not take a doc it does not keep, and a change stays unconfirmed until a holder says so', async () => {
    const { a, b, ra, meet, flush } = pair(() => true, (name) => name !== '2025-01')
    a.open('2025-01').getMap('m').set('2025-01-old', 1)
    meet()
    await flush()
    expect(b.holds('2025-01')).toBe(false)
    expect(await ra.unconfirmed()).toEqual(['2025-01'])
  })

  it('whether anything is unconfirmed is answered from the open docs first: a month only stored is not read while one open is uncovered', async () => {
    const shelf = new MemoryShelf(() => true)
    shelf.open('standing').getMap('m').set('k', 'v')
    shelf.open('2025-01').getMap('m').set('2025-01-old', 1)
    // 'standing' is on screen; '2025-01' only stored, whose state means reading a month from the disk.
    const read: string[] = []
    const state = shelf.state.bind(shelf)
    Object.assign(shelf, { shown: (name: string) => name === 'standing', state: (name: string) => (read.push(name), state(name)) })
    const replicator = new Replicator(shelf, { self: { device: 'a', label: 'A' } })
    expect(await replicator.anyUnconfirmed()).toBe(true)
    expect(read).toEqual(['standing'])
    // Every held doc is still listed when asked for all of them.
    expect((await replicator.unconfirmed()).sort()).toEqual(['2025-01', 'standing'])
  })

  it('later changes go straight to a peer holding the doc; a peer without it hears of the new doc and asks', async () => {
    const { a, b, ra, meet, flush } = pair()
    a.open('standing')
    b.open('standing')
    meet()
    await flush()
    a.docs.get('standing')!.getMap('m').set('k', 'v')
    a.open('2027-01').getMap('m').set('2027-01-z', 3)
    await flush()
    expect(b.docs.get('standing')!.getMap('m').get('k')).toBe('v')
    expect(b.docs.get('2027-01')?.getMap('m').get('2027-01-z')).toBe(3)
    expect(await ra.unconfirmed()).toEqual([])
  })

  it('a screen that opens an older month fetches it from a peer that holds it', async () => {
    const { a, b, rb, meet, flush } = pair(() => true, (name) => name === 'standing' || b.holds(name))
    a.open('2025-01').getMap('m').set('2025-01-old', 1)
    meet()
    await flush()
    expect(b.holds('2025-01')).toBe(false)
    // The screen opens it (so now it is held, empty), and asks.
    b.open('2025-01')
    rb.fetch('2025-01')
    await flush()
    expect(b.docs.get('2025-01')!.getMap('m').get('2025-01-old')).toBe(1)
  })

  it('a deletion alone (no new writes) still reaches a peer that missed it', async () => {
    const { a, b, meet, flush } = pair()
    a.open('standing').getMap('m').set('gone', 1)
    Y.applyUpdate(b.open('standing'), Y.encodeStateAsUpdate(a.docs.get('standing')!))
    a.docs.get('standing')!.getMap('m').delete('gone')
    expect(Y.encodeStateVector(a.docs.get('standing')!)).toEqual(Y.encodeStateVector(b.docs.get('standing')!))
    expect(docDigest(a.docs.get('standing')!)).not.toBe(docDigest(b.docs.get('standing')!))
    meet()
    await flush()
    expect(b.docs.get('standing')!.getMap('m').has('gone')).toBe(false)
  })

  it('skips and counts a message it cannot read, and goes on', async () => {
    const { b, rb, meet, flush } = pair()
    meet()
    rb.receive('a', new Uint8Array([9, 9, 9]))
    rb.receive('a', new Uint8Array([2, 4, 0x41]))
    await flush()
    expect(rb.unreadable).toBe(2)
    expect(b.holds('A')).toBe(false)
  })

  it('covers: a state vector reaches every clock of another', () => {
    const mine = new Map([[1, 5], [2, 3]])
    expect(covers(new Map([[1, 5], [2, 3], [9, 1]]), mine)).toBe(true)
    expect(covers(new Map([[1, 5], [2, 2]]), mine)).toBe(false)
    expect(covers(new Map(), new Map())).toBe(true)
  })

  it('"only on this phone": nothing unshared is all confirmed; otherwise only what came before the last confirmation', () => {
    expect(isConfirmed(activity({ unshared: false }), 10_000)).toBe(true)
    const some = activity({ unshared: true, confirmedAt: 300 })
    expect([isConfirmed(some, 300), isConfirmed(some, 350)]).toEqual([true, false])
    expect(isConfirmed(activity({ unshared: true }), 1)).toBe(false)
  })
})
