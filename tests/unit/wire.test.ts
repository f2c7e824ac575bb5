import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage, WIRE_VERSION, type WireMessage } from '../../src/sync/wire'
import { MemoryShelf, Replicator } from '../../src/sync/replication'

// Replication's messages carry their protocol version, so a build can tell an older
// one apart and answer it in its own protocol: phones that update on different days
// keep syncing.

const messages: WireMessage[] = [
  { type: 'digests', device: 'd1', label: '王主任', docs: [['standing', '00ff'], ['2026-12', 'abcd']] },
  { type: 'state', name: '2026-12', digest: 'abcd', stateVector: new Uint8Array([1, 2, 3]) },
  { type: 'data', name: 'standing', update: new Uint8Array([9, 8, 7]), held: new Uint8Array([4]) },
  { type: 'data', name: 'standing', update: new Uint8Array([9, 8, 7]), held: null },
]

/** What a build from before versions began sent: the type first, then the same fields. */
function oldDigests(device: string, docs: [string, string][]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarString(encoder, device)
  encoding.writeVarString(encoder, '')
  encoding.writeVarUint(encoder, docs.length)
  for (const [name, digest] of docs) {
    encoding.writeVarString(encoder, name)
    encoding.writeVarString(encoder, digest)
  }
  return encoding.toUint8Array(encoder)
}

describe('replication on the wire', () => {
  it('each message reads back as it was written, in this version and the one before', () => {
    for (const message of messages) {
      expect(decodeMessage(encodeMessage(message))).toEqual({ version: WIRE_VERSION, message })
      expect(decodeMessage(encodeMessage(message, 0))).toEqual({ version: 0, message })
    }
    expect(decodeMessage(oldDigests('old', [['standing', '01']]))).toEqual({ version: 0, message: { type: 'digests', device: 'old', label: '', docs: [['standing', '01']] } })
  })

  it('a message of a newer build, or of no known type, is refused', () => {
    expect(() => decodeMessage(encodeMessage(messages[0]!, WIRE_VERSION + 1))).toThrow(/newer build/)
    expect(() => decodeMessage(new Uint8Array([7]))).toThrow(/unknown/)
  })

  it('a phone that has updated syncs with one that has not, both ways', async () => {
    const fresh = new MemoryShelf(() => true)
    const old = new MemoryShelf(() => true)
    fresh.open('standing').getMap('notices').set('n1', { title: '新版本的公告' })
    old.open('standing').getMap('notices').set('n2', { title: '旧版本的公告' })
    const rNew = new Replicator(fresh, { self: { device: 'new', label: '' } })
    const rOld = new Replicator(old, { self: { device: 'old', label: '' } })
    // The old build: sends the protocol before versions, and cannot read a versioned message.
    const toOld: Uint8Array[] = []
    const toNew: Uint8Array[] = []
    let unreadByOld = 0
    rNew.connect('old', (m) => toOld.push(m))
    rOld.connect('new', (m) => {
      const { message } = decodeMessage(m)
      toNew.push(encodeMessage(message, 0))
    })
    for (let round = 0; round < 50; round++) {
      await Promise.all([rNew.idle(), rOld.idle()])
      await new Promise((resolve) => setTimeout(resolve, 50))
      if (toOld.length === 0 && toNew.length === 0) break
      while (toOld.length) {
        const m = toOld.shift()!
        if (decodeMessage(m).version > 0) unreadByOld++
        else rOld.receive('new', m)
      }
      while (toNew.length) rNew.receive('old', toNew.shift()!)
    }
    expect(unreadByOld).toBeGreaterThan(0)
    const titles = (shelf: MemoryShelf) => [...(shelf.docs.get('standing') as Y.Doc).getMap('notices').keys()].sort()
    expect(titles(old)).toEqual(['n1', 'n2'])
    expect(titles(fresh)).toEqual(['n1', 'n2'])
  })
})
