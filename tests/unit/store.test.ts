import { SpaceDocs, STANDING } from '../../src/store/space-docs'
import { copySpace } from '../convergence/harness'
import { createComputed, createRoot, mapArray } from 'solid-js'
import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { HybridClock } from '../../src/domain/hlc'
import { NoticeSchema, type Notice } from '../../src/domain/notices'
import { MemberSchema } from '../../src/domain/members'
import { readByPrefix, readCollection } from '../../src/store/collection'
import { publicSpace } from '../../src/store/layout'
import { publishMember } from '../../src/store/members'
import { editNotice, postNotice, withdrawNotice } from '../../src/store/notices'
import { liveCollection, ShownMonths } from '../../src/store/reactive'
import { monthsOfWeek, monthOfKey, monthsAround } from '../../src/domain/calendar'

const author = { id: 'dev1', name: '王主任' }
const fresh = () => ({ docs: new SpaceDocs(), clock: new HybridClock('dev1') })

describe('store commands', () => {
  it('posts a valid notice in one transaction and refuses an invalid one without writing', () => {
    const { docs, clock } = fresh()
    let transactions = 0
    docs.get(STANDING)!.on('afterTransaction', () => transactions++)
    const bad = postNotice(docs, clock, author, { title: '   ', body: '' })
    expect(bad).toEqual({ ok: false, problems: { title: 'problem.required' } })
    expect(publicSpace(docs).notices.size).toBe(0)
    expect(transactions).toBe(0)

    const good = postNotice(docs, clock, author, { title: '周三义诊', body: '上午九点' })
    expect(good.ok).toBe(true)
    expect(transactions).toBe(1)
    const stored = readCollection(publicSpace(docs).notices, NoticeSchema).records
    expect([...stored.values()].map((n) => n.title)).toEqual(['周三义诊'])
  })

  it('edits replace the whole record and keep when it was posted; withdrawals are their own entries', () => {
    const { docs, clock } = fresh()
    const posted = postNotice(docs, clock, author, { title: 'a', body: '' })
    if (!posted.ok) throw new Error('post failed')
    const edited = editNotice(docs, clock, posted.value.id, { title: 'b', body: 'more' })
    expect(edited.ok && edited.value).toMatchObject({ title: 'b', body: 'more', postedAt: posted.value.postedAt })
    expect(withdrawNotice(docs, clock, author, posted.value.id).ok).toBe(true)
    expect(publicSpace(docs).noticeWithdrawals.has(posted.value.id)).toBe(true)
    expect(editNotice(docs, clock, 'missing', { title: 'x', body: '' })).toEqual({ ok: false, problems: { notice: 'problem.notFound' } })
  })

  it('a device writes only its own member entry', () => {
    const { docs, clock } = fresh()
    publishMember(docs, clock, '李阿姨', 'volunteer')
    publishMember(docs, clock, '李阿姨', 'resident')
    const members = readCollection(publicSpace(docs).members, MemberSchema).records
    expect([...members.keys()]).toEqual(['dev1'])
    expect(members.get('dev1')?.role).toBe('resident')
  })
})

describe('reading one record\'s entries by key prefix', () => {
  it('finds entries written before, in the running transaction, and from a peer; forgets deleted ones', () => {
    const docs = new SpaceDocs()
    const map = docs.getMap('signups')
    const entry = (id: string) => ({ id, text: id })
    const Schema = v.object({ id: v.string(), text: v.string() })
    const keys = (prefix: string) => readByPrefix(map, Schema, prefix).map((e) => e.id).sort()
    map.set('a|1', entry('a|1'))
    map.set('ab|1', entry('ab|1'))
    expect(keys('a|')).toEqual(['a|1'])
    docs.transact(() => {
      map.set('a|2', entry('a|2'))
      // Not yet seen by the index's observer, still found.
      expect(keys('a|')).toEqual(['a|1', 'a|2'])
    })
    const peer = new SpaceDocs()
    peer.getMap('signups').set('a|3', entry('a|3'))
    copySpace(peer, docs)
    map.delete('a|1')
    expect(keys('a|')).toEqual(['a|2', 'a|3'])
    expect(keys('2026-01-05|lunch|')).toEqual([])
  })
})

describe('records from peers are validated on read', () => {
  it('skips and counts malformed records, shows the rest', () => {
    const { docs, clock } = fresh()
    postNotice(docs, clock, author, { title: 'good', body: '' })
    const notices = publicSpace(docs).notices
    notices.set('n1', { title: 42 })
    notices.set('n2', 'not even an object')
    const good = [...readCollection(notices, NoticeSchema).records.values()][0]!
    notices.set('n3', { ...good, id: 'someone-else' }) // stored under the wrong key
    const { records, skipped } = readCollection(notices, NoticeSchema)
    expect([...records.values()].map((n) => n.title)).toEqual(['good'])
    expect([...skipped].sort()).toEqual(['n1', 'n2', 'n3'])
  })

  it('the live view counts a record that turns bad, and forgets it when it is mended', () => {
    createRoot((dispose) => {
      const { docs, clock } = fresh()
      const live = liveCollection(publicSpace(docs).notices, NoticeSchema)
      const posted = postNotice(docs, clock, author, { title: 'ok', body: '' })
      if (!posted.ok) throw new Error('post failed')
      expect(live.ids()).toEqual([posted.value.id])
      publicSpace(docs).notices.set(posted.value.id, { ...posted.value, title: '' })
      expect(live.ids()).toEqual([])
      expect(live.skipped()).toBe(1)
      publicSpace(docs).notices.set(posted.value.id, posted.value)
      expect(live.ids()).toEqual([posted.value.id])
      expect(live.skipped()).toBe(0)
      dispose()
    })
  })
})

describe('the Y → Solid bridge is fine-grained', () => {
  it('changing one of 10,000 records re-runs that row only, and not the list', () => {
    createRoot((dispose) => {
      const { docs, clock } = fresh()
      docs.transact(() => {
        for (let i = 0; i < 10_000; i++) postNotice(docs, clock, author, { title: `notice ${i}`, body: '' })
      })
      const live = liveCollection<Notice>(publicSpace(docs).notices, NoticeSchema)
      const rowRuns = new Map<string, number>()
      let listRuns = 0
      // The same shape a screen has (<For> is mapArray over the ids), a row reading
      // its own record. createComputed runs at once, so counts are exact.
      createComputed(() => {
        live.ids()
        listRuns++
      })
      const ids = live.ids()
      const rows = mapArray(live.ids, (id: string) => {
        createComputed(() => {
          live.byId[id]?.title
          rowRuns.set(id, (rowRuns.get(id) ?? 0) + 1)
        })
      })
      createComputed(() => rows())
      expect(rowRuns.size).toBe(10_000)
      const target = ids[1234]!
      const before = { list: listRuns, total: [...rowRuns.values()].reduce((a, b) => a + b, 0) }

      editNotice(docs, clock, target, { title: 'changed', body: '' })

      expect(live.byId[target]?.title).toBe('changed')
      expect(rowRuns.get(target)).toBe(2)
      expect([...rowRuns.values()].reduce((a, b) => a + b, 0)).toBe(before.total + 1)
      expect(listRuns).toBe(before.list)
      dispose()
    })
  })
})

describe('a phone reads only the months it shows', () => {
  it('knows the month of a dated key and which months are around a day', () => {
    expect(monthOfKey('2026-11-23|lunch|E12')).toBe('2026-11')
    expect(monthOfKey('2026-11_k2j3h4g5f6d7s8a9q0w1|p1')).toBe('2026-11')
    expect(monthOfKey('k2j3h4g5f6d7s8a9q0w1|p1')).toBeNull()
    expect(monthOfKey('2026-11')).toBeNull()
    expect(monthsAround('2026-12-15')).toEqual(['2026-12', '2027-01'])
    expect(monthsOfWeek('2026-11-30')).toEqual(['2026-11', '2026-12'])
  })

  it('skips entries of other months unread, and reads them when a screen asks for their month', () => {
    createRoot((dispose) => {
      const docs = new SpaceDocs()
      const map = docs.getMap('signups')
      const Entry = v.object({ id: v.string() })
      for (const key of ['2026-10-31|a', '2026-11-01|b', '2026-03-02|c', 'standing']) map.set(key, { id: key })
      map.set('2026-03-03|bad', { id: 'wrong key' })
      const shown = new ShownMonths(['2026-10', '2026-11'])
      const live = liveCollection(map, Entry, undefined, shown)
      expect([...live.ids()].sort()).toEqual(['2026-10-31|a', '2026-11-01|b', 'standing'])
      expect(live.skipped()).toBe(0)

      map.set('2026-03-09|d', { id: '2026-03-09|d' })
      expect(live.ids()).not.toContain('2026-03-09|d')

      shown.show(['2026-03'])
      expect([...live.ids()].sort()).toEqual(['2026-03-02|c', '2026-03-09|d', '2026-10-31|a', '2026-11-01|b', 'standing'])
      expect(live.skipped()).toBe(1)
      map.delete('2026-03-02|c')
      expect(live.ids()).not.toContain('2026-03-02|c')
      dispose()
    })
  })
})
