import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { x25519 } from '@noble/curves/ed25519.js'
import { makeKeys, toBase64Url } from '../../src/trust/keys'
import { concernKey, openNote, openWords, sealConcern, sealNote } from '../../src/trust/private'
import { HybridClock } from '../../src/domain/hlc'
import { SpaceDocs, STANDING } from '../../src/store/space-docs'
import { privateConcernStep, reportConcern, reportPrivateConcern, type Sealer } from '../../src/store/concerns'
import { concernStatus, type Concern } from '../../src/domain/concerns'

// A private concern: only staff (the drop box) and the reporter's device open its words
// and the notes on it; the public space holds none of them in the clear.

const words = { what: '邻居家老人好几天没出门，担心出事', where: '7号楼', forName: '刘阿姨', reportedByName: '刘阿姨' }

async function parties() {
  const reporter = await makeKeys()
  const other = await makeKeys()
  const secret = new Uint8Array(x25519.utils.randomSecretKey())
  const dropbox = { id: toBase64Url(x25519.getPublicKey(secret)), secret: toBase64Url(secret), stamp: '' }
  return { reporter, other, dropbox }
}

describe('private concerns', () => {
  it('staff and the reporter open its words and notes; another resident, or a box moved onto another concern, opens nothing', async () => {
    const { reporter, other, dropbox } = await parties()
    const concern = { id: 'Kres.0000.abc', sealed: await sealConcern('Kres.0000.abc', words, dropbox.id, [reporter.agreementKey]) }
    const asStaff = await concernKey(concern, { device: other, dropbox: [dropbox] })
    const asReporter = await concernKey(concern, { device: reporter, dropbox: [] })
    expect(await openWords(asStaff!, concern)).toEqual(words)
    expect(await openWords(asReporter!, concern)).toEqual(words)
    expect(await concernKey(concern, { device: other, dropbox: [] })).toBeNull()
    // The same box under another concern's id: its key names the first, and the words are bound to it.
    expect(await concernKey({ ...concern, id: 'Kres.0000.xyz' }, { device: reporter, dropbox: [dropbox] })).toBeNull()
    expect(await openWords(asStaff!, { ...concern, id: 'Kres.0000.xyz' })).toBeNull()
    const note = { note: '已联系家属上门查看', to: '民政科' }
    const sealed = await sealNote(asStaff!, 'Kres.0000.abc|s1', note)
    expect(await openNote(asReporter!, { id: 'Kres.0000.abc|s1', sealed })).toEqual(note)
    expect(await openNote(asReporter!, { id: 'Kres.0000.abc|s2', sealed })).toBeNull()
  })

  it('written to the public space, it holds none of the words or the answer in the clear, and the steps still count', async () => {
    const { reporter, dropbox } = await parties()
    const docs = new SpaceDocs()
    const clock = new HybridClock('Kres', () => Date.parse('2026-11-23T08:00:00'))
    const keys = new Map<string, Uint8Array<ArrayBuffer>>()
    const sealer = (device: typeof reporter | null): Sealer => ({
      concern: (id, w) => sealConcern(id, w, dropbox.id, [reporter.agreementKey]),
      note: async (concern, eventId, note) => {
        const key = keys.get(concern.id) ?? (await concernKey(concern, { device, dropbox: [dropbox] }))
        return key ? sealNote(key, eventId, note) : null
      },
    })
    expect(reportConcern(docs, clock, { id: 'Kres', name: '刘阿姨' }, { category: 'safety', what: words.what, where: '7号楼', source: 'app', forName: '', private: true })).toMatchObject({ ok: false, problems: { private: 'problem.cannotSeal' } })
    const reported = await reportPrivateConcern(docs, clock, { id: 'Kres', name: '刘阿姨' }, { category: 'safety', what: words.what, where: '7号楼', source: 'app', forName: '', private: true }, sealer(reporter))
    if (!reported.ok) throw new Error('not reported')
    const concern: Concern = reported.value
    const isStaff = (id: string) => id === 'Kstaff'
    const staffClock = new HybridClock('Kstaff', () => Date.parse('2026-11-23T09:00:00'))
    const answered = await privateConcernStep(docs, staffClock, concern.id, 'answer', { id: 'Kstaff', name: '王主任' }, { note: '已联系家属上门查看' }, isStaff, '2026-11-23', sealer(null))
    expect(answered.ok).toBe(true)
    const stored = new TextDecoder().decode(Y.encodeStateAsUpdate(docs.get(STANDING)!))
    for (const text of ['邻居家老人', '7号楼', '刘阿姨', '已联系家属']) expect(stored).not.toContain(text)
    const events = [...docs.getMap('concernEvents').keys()].map((key) => docs.getMap('concernEvents').get(key) as never)
    expect(concernStatus(concern, events, isStaff).state).toBe('answered')
    const key = await concernKey(concern, { device: reporter, dropbox: [] })
    expect(await openNote(key!, events[0]!)).toEqual({ note: '已联系家属上门查看' })
  })
})
