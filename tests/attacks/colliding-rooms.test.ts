import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { docRoom } from '../../src/store/space-docs'
import { databaseName, readStoredDoc, storedMonths, storeIntoDoc, storeOf } from '../../src/sync/persistence'
import { moveRoomStores } from '../../src/session'
import type { Membership } from '../../src/domain/community'

// An invite names rooms, and rooms travel in clear to the signaling server. When a
// space's databases were named by its room alone, an invite for "community B" whose
// public room was community A's staff room opened A's stored docs (standing and every
// month) as B's, and sent them to whoever made the invite. Now a space is stored under
// its community, its space and its room, so B's space opens B's databases, whatever
// room it names.

// The gate keeps what it checked of each doc in localStorage, which moves with the doc.
const kept = new Map<string, string>()
Object.assign(globalThis, {
  localStorage: {
    getItem: (key: string) => kept.get(key) ?? null,
    setItem: (key: string, value: string) => void kept.set(key, value),
    removeItem: (key: string) => void kept.delete(key),
    key: (i: number) => [...kept.keys()][i] ?? null,
    get length() {
      return kept.size
    },
  },
})

const update = (text: string) => {
  const doc = new Y.Doc()
  doc.getMap('notices').set('n1', { title: text })
  return Y.encodeStateAsUpdate(doc)
}
const noticeIn = async (store: string) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, await readStoredDoc(store))
  return (doc.getMap('notices').get('n1') as { title: string } | undefined)?.title ?? null
}
const names = async () => ((await indexedDB.databases()) ?? []).map((db) => db.name).sort()
const membership = (id: string, pub: string, staff?: string): Membership =>
  ({ id, name: id, role: 'staff', public: { room: pub, secret: 's' }, ...(staff ? { staff: { room: staff, secret: 's' } } : {}) }) as Membership

describe('a space is stored under its community, space and room', () => {
  it('another community naming the same room opens none of its data', async () => {
    const a = storeOf('communityA', 'staff', 'room-of-a-staff')
    await storeIntoDoc(a, update('王奶奶 3号楼 501 13800000000'))
    await storeIntoDoc(docRoom(a, '2026-12'), update('十二月的送餐路线'))
    // The attacker's community names A's staff room as its public room.
    const b = storeOf('communityB', 'public', 'room-of-a-staff')
    expect(await noticeIn(b)).toBeNull()
    expect(await storedMonths(b)).toEqual([])
    expect(await noticeIn(a)).toBe('王奶奶 3号楼 501 13800000000')
  })

  it('databases named by room alone move to their store once, and a room two communities name stays put', async () => {
    await storeIntoDoc('old-public', update('旧的公告'))
    await storeIntoDoc(docRoom('old-public', '2026-11'), update('十一月'))
    await storeIntoDoc('shared-room', update('谁的数据'))
    localStorage.setItem('neighbours.checked.old-public.2026-11', 'checked ids')
    const c = membership('communityC', 'old-public', 'shared-room')
    const d = membership('communityD', 'shared-room')
    await moveRoomStores([c, d])

    const moved = storeOf('communityC', 'public', 'old-public')
    expect(await noticeIn(moved)).toBe('旧的公告')
    expect(await noticeIn(docRoom(moved, '2026-11'))).toBe('十一月')
    expect(localStorage.getItem(`neighbours.checked.${docRoom(moved, '2026-11')}`)).toBe('checked ids')
    expect(localStorage.getItem('neighbours.checked.old-public.2026-11')).toBeNull()
    const after = await names()
    expect(after).not.toContain(databaseName('old-public'))
    expect(after).not.toContain(databaseName(docRoom('old-public', '2026-11')))
    // Named by both C's staff space and D's public space: whose it was cannot be told.
    expect(after).toContain(databaseName('shared-room'))
    expect(after).not.toContain(databaseName(storeOf('communityC', 'staff', 'shared-room')))
    expect(after).not.toContain(databaseName(storeOf('communityD', 'public', 'shared-room')))
  })
})
