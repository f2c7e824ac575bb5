import * as Y from 'yjs'
import * as v from 'valibot'
import { createComputed, createRoot } from 'solid-js'
import { describe, expect, it } from 'vitest'
import { HybridClock } from '../../src/domain/hlc'
import { readByPrefix } from '../../src/store/collection'
import { publicSpace } from '../../src/store/layout'
import { publishMember } from '../../src/store/members'
import { liveCollection, liveGroups, ShownMonths } from '../../src/store/reactive'
import { publishShift, signUp } from '../../src/store/shifts'
import { SpaceDocs, STANDING } from '../../src/store/space-docs'
import { copySpace } from '../convergence/harness'

// A space is a standing doc plus one doc per month; store code sees one map per
// collection. These pin the routing, the transactions and what a phone that has
// not opened a month sees.

const Entry = v.object({ id: v.string() })
const TODAY = '2026-11-23'
const person = { id: 'p1', name: '小王' }
const draft = (date: string) => ({ title: '帮厨', category: 'canteen' as const, place: '', date, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' })

describe('a space split by month', () => {
  it('files each record in the doc of its month, and what belongs to no month in the standing doc', () => {
    const space = new SpaceDocs()
    const clock = new HybridClock('dev1')
    publishMember(space, clock, '小王', 'volunteer')
    const shift = publishShift(space, clock, person, draft('2026-12-05'), TODAY)
    if (!shift.ok) throw new Error('publish failed')
    expect(signUp(space, clock, shift.value.id, person, person).ok).toBe(true)
    expect([...space.opened.keys()].sort()).toEqual(['2026-12', STANDING])
    expect(space.get('2026-12')!.getMap('shifts').has(shift.value.id)).toBe(true)
    expect(space.get('2026-12')!.getMap('signups').size).toBe(1)
    expect(space.get(STANDING)!.getMap('shifts').size).toBe(0)
    expect(space.get(STANDING)!.getMap('members').has('dev1')).toBe(true)
    expect(publicSpace(space).shifts.get(shift.value.id)).toMatchObject({ date: '2026-12-05' })
  })

  it('runs a command as one transaction per open doc, and keeps its origin in a doc it opens', () => {
    const space = new SpaceDocs()
    space.open('2026-11')
    space.open('2026-12')
    const updates: [string, unknown][] = []
    space.onOpen((name, doc) => doc.on('update', (_u: Uint8Array, origin: unknown) => updates.push([name, origin])))
    const map = space.getMap('signups')
    space.transact(() => {
      for (const key of ['2026-11-01|a', '2026-11-02|b', '2026-12-01|c', '2027-03-01|d', '2027-03-02|e', 'k']) map.set(key, { id: key })
    }, 'me')
    // One update each for the docs open before; the doc opened inside gets one per write.
    expect(updates.filter(([name]) => name !== '2027-03').sort()).toEqual([['2026-11', 'me'], ['2026-12', 'me'], [STANDING, 'me']])
    expect(updates.filter(([name]) => name === '2027-03')).toEqual([['2027-03', 'me'], ['2027-03', 'me']])
  })

  it('reads nothing of a month that is not open, and sees it once it is opened and loaded', () => {
    createRoot((dispose) => {
      const peer = new SpaceDocs()
      const mine = new SpaceDocs()
      const peerMap = peer.getMap('signups')
      for (const key of ['2026-03-02|old', '2026-11-01|now', 'standing']) peerMap.set(key, { id: key })
      // The phone holds only the standing doc and this month.
      Y.applyUpdate(mine.open('2026-11'), Y.encodeStateAsUpdate(peer.get('2026-11')!))
      Y.applyUpdate(mine.get(STANDING)!, Y.encodeStateAsUpdate(peer.get(STANDING)!))
      const map = mine.getMap('signups')
      const live = liveCollection(map, Entry)
      expect([...live.ids()].sort()).toEqual(['2026-11-01|now', 'standing'])
      expect(map.has('2026-03-02|old')).toBe(false)
      expect(readByPrefix(map, Entry, '2026-03-02|')).toEqual([])

      copySpace(peer, mine)
      expect([...live.ids()].sort()).toEqual(['2026-03-02|old', '2026-11-01|now', 'standing'])
      expect(readByPrefix(map, Entry, '2026-03-02|').map((e) => e.id)).toEqual(['2026-03-02|old'])
      dispose()
    })
  })

  it('a deferred collection reads no record until something first reads it, then follows every change', () => {
    createRoot((dispose) => {
      const space = new SpaceDocs()
      const map = space.getMap('signups')
      map.set('a', { id: 'a' })
      map.set('bad', { wrong: true })
      const seen: string[] = []
      const live = liveCollection(map, Entry, (entry) => seen.push(entry.id), undefined, 'whenAsked')
      map.set('b', { id: 'b' })
      expect(seen).toEqual([])
      expect([...live.ids()].sort()).toEqual(['a', 'b'])
      expect(live.skipped()).toBe(1)
      map.set('c', { id: 'c' })
      expect([...live.ids()].sort()).toEqual(['a', 'b', 'c'])
      expect(seen.sort()).toEqual(['a', 'b', 'c'])
      dispose()
    })
  })

  it('a day of a grouped collection reads only that day’s records, and follows changes to that day alone', () => {
    createRoot((dispose) => {
      const space = new SpaceDocs()
      const map = space.getMap('signups')
      for (const day of ['2026-11-01', '2026-11-02']) for (const n of [1, 2]) map.set(`${day}|${n}`, { id: `${day}|${n}` })
      map.set('2026-11-01|bad', { wrong: true })
      const seen: string[] = []
      const days = liveGroups(map, Entry, (entry) => seen.push(entry.id))
      const shown: string[][] = []
      createComputed(() => shown.push(days.of('2026-11-01').map((e) => e.id).sort()))
      expect(shown).toEqual([['2026-11-01|1', '2026-11-01|2']])
      expect(seen.sort()).toEqual(['2026-11-01|1', '2026-11-01|2'])
      map.set('2026-11-02|3', { id: '2026-11-02|3' })
      expect(shown.length).toBe(1)
      map.set('2026-11-01|3', { id: '2026-11-01|3' })
      expect(shown.at(-1)).toEqual(['2026-11-01|1', '2026-11-01|2', '2026-11-01|3'])
      map.delete('2026-11-01|1')
      expect(shown.at(-1)).toEqual(['2026-11-01|2', '2026-11-01|3'])
      // The same records read again (a re-check) draw nothing new.
      map.recheck('2026-11', new Set(['2026-11-01|2']))
      expect(shown.length).toBe(3)
      expect(days.of('2026-11-03')).toEqual([])
      dispose()
    })
  })

  it('one group of a live collection (a shift’s sign-ups) wakes only when a key joins or leaves that group', () => {
    createRoot((dispose) => {
      const space = new SpaceDocs()
      const map = space.getMap('signups')
      for (const key of ['s1|a', 's1|b', 's2|a']) map.set(key, { id: key })
      const live = liveCollection(map, Entry)
      const shown: string[][] = []
      createComputed(() => shown.push([...live.idsIn('s1')]))
      expect(shown).toEqual([['s1|a', 's1|b']])
      map.set('s2|b', { id: 's2|b' })
      map.set('s1|a', { id: 's1|a' }) // the same record again
      expect(shown.length).toBe(1)
      map.set('s1|c', { id: 's1|c' })
      expect(shown.at(-1)).toEqual(['s1|a', 's1|b', 's1|c'])
      map.set('s1|b', { wrong: true }) // no longer valid: it leaves the group
      expect(shown.at(-1)).toEqual(['s1|a', 's1|c'])
      map.delete('s1|a')
      expect(shown.at(-1)).toEqual(['s1|c'])
      expect(live.idsIn('s3')).toEqual([])
      dispose()
    })
  })

  it('a group asked for before its month is shown fills in once the month is shown', () => {
    createRoot((dispose) => {
      const space = new SpaceDocs()
      const map = space.getMap('signups')
      for (const key of ['2026-11-02|a', '2026-12-01|a', '2026-12-01|b']) map.set(key, { id: key })
      const months = new ShownMonths(['2026-11'])
      const live = liveCollection(map, Entry, undefined, months, 'whenAsked')
      const shown: string[][] = []
      createComputed(() => shown.push([...live.idsIn('2026-12-01')]))
      expect(shown).toEqual([[]])
      expect(live.idsIn('2026-11-02')).toEqual(['2026-11-02|a'])
      months.show(['2026-12'])
      expect(shown.at(-1)?.sort()).toEqual(['2026-12-01|a', '2026-12-01|b'])
      dispose()
    })
  })

  it('a collection read by key reads the keys and groups asked for, follows them, and the whole when listed', () => {
    createRoot((dispose) => {
      const space = new SpaceDocs()
      const map = space.getMap('signups')
      for (const key of ['2026-11-01_s1|a', '2026-11-01_s1|b', '2026-11-02_s2|a', '2026-11-02_s2|b', '2026-12-01_s3|a']) map.set(key, { id: key })
      const months = new ShownMonths(['2026-11'])
      const seen: string[] = []
      const live = liveCollection(map, Entry, (entry) => seen.push(entry.id), months, 'byKey')
      expect(seen).toEqual([])

      const group: string[][] = []
      createComputed(() => group.push([...live.idsIn('2026-11-01_s1')]))
      expect(group).toEqual([['2026-11-01_s1|a', '2026-11-01_s1|b']])
      // One person's entry on another shift: that key alone.
      const mine: (string | undefined)[] = []
      createComputed(() => mine.push(live.byId['2026-11-02_s2|a']?.id))
      expect(mine).toEqual(['2026-11-02_s2|a'])
      expect(seen.sort()).toEqual(['2026-11-01_s1|a', '2026-11-01_s1|b', '2026-11-02_s2|a'])

      // Changes to what was read wake it; changes elsewhere are not read.
      map.set('2026-11-01_s1|c', { id: '2026-11-01_s1|c' })
      expect(group.at(-1)).toEqual(['2026-11-01_s1|a', '2026-11-01_s1|b', '2026-11-01_s1|c'])
      map.delete('2026-11-02_s2|a')
      expect(mine.at(-1)).toBeUndefined()
      map.set('2026-11-02_s2|c', { id: '2026-11-02_s2|c' })
      expect(seen).not.toContain('2026-11-02_s2|c')
      // A key looked up before anything was stored under it shows once it is written.
      const later: (string | undefined)[] = []
      createComputed(() => later.push(live.byId['2026-11-02_s2|d']?.id))
      map.set('2026-11-02_s2|d', { id: '2026-11-02_s2|d' })
      expect(later).toEqual([undefined, '2026-11-02_s2|d'])
      // A group with one key read before is read whole when asked for.
      expect([...live.idsIn('2026-11-02_s2')].sort()).toEqual(['2026-11-02_s2|b', '2026-11-02_s2|c', '2026-11-02_s2|d'])

      // A group of a month not shown fills in when the month is.
      const december: string[][] = []
      createComputed(() => december.push([...live.idsIn('2026-12-01_s3')]))
      expect(december).toEqual([[]])
      months.show(['2026-12'])
      expect(december.at(-1)).toEqual(['2026-12-01_s3|a'])

      // Listing them all reads the whole, what was read before included.
      const lookedUp = liveCollection(map, Entry, undefined, months, 'byKey')
      expect(lookedUp.byId['2026-11-01_s1|a']?.id).toBe('2026-11-01_s1|a')
      expect(lookedUp.ids().length).toBe(7)
      map.set('2026-11-05_s4|a', { id: '2026-11-05_s4|a' })
      map.set('2026-11-05_s4|bad', { wrong: true })
      expect(live.ids().length).toBe(8)
      expect(live.skipped()).toBe(1)
      dispose()
    })
  })

  it('ignores a key filed in the wrong doc (only a buggy or hostile peer writes one)', () => {
    createRoot((dispose) => {
      const space = new SpaceDocs()
      const map = space.getMap('signups')
      const live = liveCollection(map, Entry)
      space.get(STANDING)!.getMap('signups').set('2026-11-01|misfiled', { id: '2026-11-01|misfiled' })
      space.open('2026-11').getMap('signups').set('standing-key', { id: 'standing-key' })
      map.set('2026-11-02|ok', { id: '2026-11-02|ok' })
      expect([...map.keys()]).toEqual(['2026-11-02|ok'])
      expect(map.size).toBe(1)
      expect(live.ids()).toEqual(['2026-11-02|ok'])
      dispose()
    })
  })
})
