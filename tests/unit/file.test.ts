import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mergeUpdate } from '../../src/sync/persistence'
import { FILE_LIMITS, openFile, sealFile, type FileSpace } from '../../src/sync/file'
import { monthOf, today } from '../../src/domain/calendar'

// (A month sync keeps whatever the day: files hold only those.)
const MONTH = monthOf(today())

const docWith = (entries: Record<string, string>) => {
  const doc = new Y.Doc()
  for (const [key, value] of Object.entries(entries)) doc.getMap('notices').set(key, value)
  return Y.encodeStateAsUpdate(doc)
}
const pub = { kind: 'public' as const, room: 'r-pub', secret: 'public-secret-public-secret-public-secret-1' }
const staff = { kind: 'staff' as const, room: 'r-staff', secret: 'staff-secret-staff-secret-staff-secret-12345' }
const header = { community: 'c1', name: '幸福里社区', made: '2026-11-26T08:00:00.000Z' }
const spaces = (): FileSpace[] => [
  { ...pub, docs: new Map([['standing', docWith({ a: '公告' })], [MONTH, docWith({ [`${MONTH}-05_x`]: '排班' })]]) },
  { ...staff, docs: new Map([['standing', docWith({ elder: '地址' })]]) },
]

describe('a community file', () => {
  it('opens for a device of the community, with every doc of every space it holds', async () => {
    const opened = await openFile(await sealFile(header, spaces()), 'c1', [pub, staff])
    expect(opened.ok).toBe(true)
    if (!opened.ok) return
    expect(opened.header).toEqual(header)
    expect(opened.spaces.map((s) => [s.kind, [...s.docs.keys()]])).toEqual([['public', ['standing', MONTH]], ['staff', ['standing']]])
    const doc = new Y.Doc()
    Y.applyUpdate(doc, opened.spaces[0]!.docs.get(MONTH)!)
    expect(doc.getMap('notices').get(`${MONTH}-05_x`)).toBe('排班')
  })

  it('gives a resident the public part only: the staff part stays sealed', async () => {
    const opened = await openFile(await sealFile(header, spaces()), 'c1', [pub])
    expect(opened.ok && opened.spaces.map((s) => s.kind)).toEqual(['public'])
  })

  it('refuses another community, a cut-short file, a changed header, a wrong secret and a stranger file', async () => {
    const bytes = await sealFile(header, spaces())
    expect(await openFile(bytes, 'other', [pub])).toMatchObject({ ok: false, problem: 'file.otherCommunity', header: { name: '幸福里社区' } })
    for (const cut of [10, 60, bytes.length - 20, bytes.length - 1]) {
      expect(await openFile(bytes.slice(0, cut), 'c1', [pub, staff])).toMatchObject({ ok: false, problem: 'file.damaged' })
    }
    const redated = Buffer.from(bytes)
    const at = redated.indexOf('2026-11-26')
    expect(at).toBeGreaterThan(0)
    redated[at + 3] = '7'.charCodeAt(0) // the clear header now says 2027: the cipher no longer fits it
    expect(await openFile(new Uint8Array(redated), 'c1', [pub])).toMatchObject({ ok: false, problem: 'file.damaged' })
    expect(await openFile(bytes, 'c1', [{ ...pub, secret: 'x'.repeat(43) }])).toMatchObject({ ok: false, problem: 'file.damaged' })
    expect(await openFile(new TextEncoder().encode('PK\u0003\u0004 a zip'), 'c1', [pub])).toMatchObject({ ok: false, problem: 'file.notOurs' })
    expect(await openFile(bytes, 'c1', [{ ...pub, room: 'another-room' }])).toMatchObject({ ok: false, problem: 'file.nothingForUs' })
  })

  it('refuses doc names sync would not keep, a long name and an oversized file', async () => {
    const withDocs = (names: string[]) => sealFile(header, [{ ...pub, docs: new Map(names.map((name) => [name, docWith({})])) }])
    // (Each doc name would become an IndexedDB database of its own.)
    for (const name of ['0000-13', '9999-01', '../x', 'standing2']) expect(await openFile(await withDocs([name]), 'c1', [pub]), name).toMatchObject({ ok: false, problem: 'file.damaged' })
    expect(await openFile(await sealFile({ ...header, name: '社'.repeat(FILE_LIMITS.nameChars + 1) }, spaces()), 'c1', [pub])).toMatchObject({ ok: false, problem: 'file.damaged' })
    const bytes = await sealFile(header, spaces())
    const limit = FILE_LIMITS.bytes
    FILE_LIMITS.bytes = bytes.length - 1
    try {
      expect(await openFile(bytes, 'c1', [pub])).toMatchObject({ ok: false, problem: 'file.tooLarge' })
    } finally {
      FILE_LIMITS.bytes = limit
    }
  })

  it('merging it twice changes nothing the second time; a deletion alone counts as a change', () => {
    const doc = new Y.Doc()
    const update = docWith({ a: '公告' })
    expect(mergeUpdate(doc, update)).toBe(true)
    expect(mergeUpdate(doc, update)).toBe(false)
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    other.getMap('notices').delete('a')
    expect(mergeUpdate(doc, Y.encodeStateAsUpdate(other))).toBe(true)
    expect(doc.getMap('notices').has('a')).toBe(false)
  })
})
