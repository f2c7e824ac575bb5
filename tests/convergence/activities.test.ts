import { describe, expect, it } from 'vitest'
import { activityView } from '../../src/domain/activities'
import { cancelActivity, cancelRsvp, editActivity, publishActivity, readActivityData, rsvp } from '../../src/store/activities'
import { convergenceProperty, convergenceRun, pick, runConvergence, type Phone } from './harness'

// Concurrent RSVPs, cancellations, capacity changes and cancelled activities on
// five phones: every phone must agree on who is going and who waits, in order.

const TODAY = '2026-11-23'

function board(phone: Phone) {
  const data = readActivityData(phone.doc)
  return data.activities
    .map((a) => activityView(a, data.rsvps, data.cancellations.has(a.id)))
    .sort((a, b) => (a.activity.id < b.activity.id ? -1 : 1))
    .map((v) => ({ id: v.activity.id, capacity: v.activity.capacity, cancelled: v.cancelled, going: v.confirmed.map((e) => e.personId), waiting: v.waitlist.map((e) => e.personId) }))
}

const rsvpRun = convergenceRun({
  phones: 5,
  command(phone, random) {
    const data = readActivityData(phone.doc)
    const person = { id: `p${phone.index}r${Math.floor(random() * 3)}`, name: '居民' }
    const roll = random()
    if (roll < 0.08 || data.activities.length === 0) {
      const capacity = random() < 0.2 ? null : 1 + Math.floor(random() * 3)
      publishActivity(phone.doc, phone.clock, person, { title: '活动', groupId: null, category: 'dance', place: '', date: TODAY, start: '19:00', end: '20:00', description: '', capacity, leader: '' }, TODAY)
      return
    }
    const activity = pick(random, data.activities)
    if (roll < 0.65) rsvp(phone.doc, phone.clock, activity.id, person, person)
    else if (roll < 0.85) {
      const going = data.rsvps.filter((r) => r.recordId === activity.id && r.active)
      if (going.length > 0) cancelRsvp(phone.doc, phone.clock, activity.id, pick(random, going).personId, person)
    } else if (roll < 0.97) {
      const { id: _i, seriesId: _s, repeat: _r, createdBy: _c, stamp: _st, editedAt: _e, ...rest } = activity
      editActivity(phone.doc, phone.clock, activity.id, { ...rest, groupId: rest.groupId ?? null, capacity: 1 + Math.floor(random() * 4) }, TODAY)
    } else cancelActivity(phone.doc, phone.clock, person, activity.id, '')
  },
  view: board,
  invariant(view) {
    for (const a of view) {
      if (a.capacity !== null) expect(a.going.length).toBeLessThanOrEqual(a.capacity)
      if (a.cancelled) expect([...a.going, ...a.waiting]).toEqual([])
      if (!a.cancelled && a.waiting.length > 0) expect(a.going.length).toBe(a.capacity)
    }
  },
})

describe('activity RSVPs converge', () => {
  for (const seed of [21, 22, 23, 24]) {
    it(`seed ${seed}: same going list and waitlist on every phone`, () => {
      const { views } = runConvergence({ ...rsvpRun, seed, steps: 400 })
      expect(views[0]!.some((a) => a.waiting.length > 0)).toBe(true)
      for (const view of views) expect(view).toEqual(views[0])
    })
  }
  convergenceProperty('any schedule: same going list and waitlist everywhere, never over capacity', rsvpRun)
})
