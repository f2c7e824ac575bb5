import { describe, expect, it } from 'vitest'
import { activityView } from '../../src/domain/activities'
import { cancelActivity, cancelRsvp, editActivity, publishActivity, readActivityData, rsvp } from '../../src/store/activities'
import { compare, convergenceProperty, convergenceRun, pick, runConvergence, type Phone } from './harness'

// Concurrent RSVPs, cancellations, capacity changes and cancelled activities on
// five phones: every phone must agree on who is going and who waits, in order.

const TODAY = '2026-11-23'

function board(phone: Phone) {
  const data = readActivityData(phone.docs)
  return data.activities
    .map((a) => activityView(a, data.rsvps, data.cancellations.has(a.id)))
    .sort((a, b) => (a.activity.id < b.activity.id ? -1 : 1))
    .map((v) => ({ id: v.activity.id, capacity: v.activity.capacity, cancelled: v.cancelled, going: v.confirmed.map((e) => e.personId), waiting: v.waitlist.map((e) => e.personId) }))
}

const residentOn = (phone: Phone, random: () => number) => ({ id: `p${phone.index}r${Math.floor(random() * 3)}`, name: '居民' })
/** An activity this phone holds, if any. */
const someActivity = (phone: Phone, random: () => number) => {
  const activities = readActivityData(phone.docs).activities
  return activities.length > 0 ? pick(random, activities) : null
}

const rsvpRun = convergenceRun({
  phones: 5,
  modifications: {
    publish: [8, (phone, random) => {
      const capacity = random() < 0.2 ? null : 1 + Math.floor(random() * 3)
      publishActivity(phone.docs, phone.clock, residentOn(phone, random), { title: '活动', groupId: null, category: 'dance', place: '', date: TODAY, start: '19:00', end: '20:00', description: '', capacity, leader: '' }, TODAY)
    }],
    rsvp: [52, (phone, random) => {
      const activity = someActivity(phone, random)
      if (!activity) return false
      const person = residentOn(phone, random)
      rsvp(phone.docs, phone.clock, activity.id, person, person)
    }],
    cancelRsvp: [18, (phone, random) => {
      const activity = someActivity(phone, random)
      const going = readActivityData(phone.docs).rsvps.filter((r) => r.recordId === activity?.id && r.active)
      if (!activity || going.length === 0) return false
      cancelRsvp(phone.docs, phone.clock, activity.id, pick(random, going).personId, residentOn(phone, random))
    }],
    changeCapacity: [11, (phone, random) => {
      const activity = someActivity(phone, random)
      if (!activity) return false
      const { id: _i, seriesId: _s, repeat: _r, createdBy: _c, stamp: _st, editedAt: _e, ...rest } = activity
      editActivity(phone.docs, phone.clock, activity.id, { ...rest, groupId: rest.groupId ?? null, capacity: 1 + Math.floor(random() * 4) }, TODAY)
    }],
    cancel: [3, (phone, random) => {
      const activity = someActivity(phone, random)
      if (!activity) return false
      cancelActivity(phone.docs, phone.clock, residentOn(phone, random), activity.id, '')
    }],
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
      const { views, network, applied } = runConvergence({ ...rsvpRun, seed, steps: 400 })
      for (const [name, times] of Object.entries(applied)) expect(times, name).toBeGreaterThan(0)
      expect(views[0]!.some((a) => a.waiting.length > 0)).toBe(true)
      compare(views, network)
    })
  }
  convergenceProperty('any schedule: same going list and waitlist everywhere, never over capacity', rsvpRun)
})
