import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DiskShelf } from '../../src/hub/disk-shelf'
import { isDocName } from '../../src/store/space-docs'
import { PeerOrigin } from '../../src/sync/replication'
import * as Y from 'yjs'

// The hub process's storage: every doc on disk, resumed after a restart, and a
// record cut short by a crash leaves what came before it intact.

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })))
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'disk-shelf-'))
  dirs.push(dir)
  return dir
}

const updateWith = (key: string, value: number) => {
  const doc = new Y.Doc()
  doc.getMap('m').set(key, value)
  return Y.encodeStateAsUpdate(doc)
}

describe('the hub process keeps docs on disk', () => {
  it('has after a restart every update it took in, and keeps every valid doc name', async () => {
    const dir = freshDir()
    const shelf = new DiskShelf(dir, isDocName)
    await shelf.apply('2026-11', updateWith('2026-11-a', 1), new PeerOrigin('p'))
    await shelf.apply('2026-11', updateWith('2026-11-b', 2), new PeerOrigin('p'))
    await shelf.apply('standing', updateWith('member', 3), new PeerOrigin('p'))
    shelf.close()
    expect(shelf.keeps('2019-03') && !shelf.keeps('../../etc') && !shelf.keeps('2026-13')).toBe(true)

    const again = new DiskShelf(dir, isDocName)
    expect(again.names().sort()).toEqual(['2026-11', 'standing'])
    expect(again.docs.get('2026-11')!.getMap('m').toJSON()).toEqual({ '2026-11-a': 1, '2026-11-b': 2 })
    again.close()
    // Each file was rewritten as one state at start.
    expect(readdirSync(dir).sort()).toEqual(['2026-11.ydoc', 'standing.ydoc'])
  })

  it('a record cut short by a crash is left out, and everything before it is kept', async () => {
    const dir = freshDir()
    const shelf = new DiskShelf(dir, isDocName)
    await shelf.apply('2026-11', updateWith('2026-11-a', 1), new PeerOrigin('p'))
    shelf.close()
    // Half a record: its length says 100 bytes, three follow.
    appendFileSync(join(dir, '2026-11.ydoc'), new Uint8Array([100, 0, 0, 0, 1, 2, 3]))
    const again = new DiskShelf(dir, isDocName)
    expect(again.docs.get('2026-11')!.getMap('m').toJSON()).toEqual({ '2026-11-a': 1 })
    again.close()
  })
})
