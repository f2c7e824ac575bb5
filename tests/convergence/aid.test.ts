import { describe, expect, it } from 'vitest'
import { AID_EVENTS, allowed, deriveStatus, type AidEventType } from '../../src/domain/aid'
import { postRequest, readAidData, step } from '../../src/store/aid'
import { compare, convergenceProperty, convergenceRun, pick, runConvergence, type Modification, type Phone } from './harness'

// Concurrent takes, dispatches and their answers, withdrawals, completions and confirmations on five
// phones. Afterwards every phone shows the same state and the same single taker
// for every request, and between two reopenings only one take ever counted.

const TODAY = '2026-11-23'
const isStaff = (id: string) => id === 'phone0'

function board(phone: Phone) {
  const data = readAidData(phone.docs)
  return data.requests
    .map((r) => ({ r, s: deriveStatus(r, data.events, isStaff) }))
    .sort((a, b) => (a.r.id < b.r.id ? -1 : 1))
    .map(({ r, s }) => ({ id: r.id, state: s.state, taker: s.taker?.id ?? null, offered: s.offered?.id ?? null, applied: s.history.filter((h) => h.applied).map((h) => h.event.type) }))
}

/** One step of a request's lifecycle (take, dispatch, done …) by this phone's person, on a request where this phone sees it allowed. */
const stepOf = (type: AidEventType): Modification => (phone, random) => {
  const data = readAidData(phone.docs)
  const open = data.requests.filter((r) => allowed(deriveStatus(r, data.events, isStaff), { type, byId: phone.deviceId }, r, isStaff))
  if (open.length === 0) return false
  const volunteer = { id: `phone${Math.floor(random() * 5)}`, name: 'v' }
  return step(phone.docs, phone.clock, pick(random, open).id, type, { id: phone.deviceId, name: `p${phone.index}` }, { volunteer, stars: 1 + Math.floor(random() * 5), note: 'n' }, isStaff).ok
}

const aidRun = convergenceRun({
  phones: 5,
  modifications: {
    post: [10, (phone, random) => {
      // A third are paperwork errands (passed on to the office, their receipt collected back).
      const category = random() < 0.33 ? 'paperwork' : 'errand'
      postRequest(phone.docs, phone.clock, { id: phone.deviceId, name: `p${phone.index}` }, { kind: 'need', category, title: '帮忙', details: '', when: '', where: '', urgency: 'normal', forName: '', materials: [], due: '' }, TODAY)
    }],
    ...Object.fromEntries(AID_EVENTS.map((type) => [type, [90 / AID_EVENTS.length, stepOf(type)] as const])),
    // Only the phone a request was offered to may answer it: tried more often, so every run has some.
    accept: [25, stepOf('accept')],
    decline: [25, stepOf('decline')],
    receiptBack: [10, stepOf('receiptBack')],
  },
  view: board,
  invariant(view) {
    for (const r of view) {
      if (r.state === 'open' || r.state === 'withdrawn' || r.state === 'offered') expect(r.taker).toBeNull()
      else expect(r.taker).not.toBeNull()
      // An offer waits only in 'offered'.
      expect(r.offered !== null).toBe(r.state === 'offered')
      // Between reopenings, only one take or dispatch ever counts.
      let takesSinceOpen = 0
      for (const type of r.applied) {
        if (type === 'notDone') takesSinceOpen = 0
        if (type === 'take' || type === 'accept') takesSinceOpen++
        expect(takesSinceOpen).toBeLessThanOrEqual(1)
      }
    }
  },
})

describe('mutual aid converges with a single taker', () => {
  for (const seed of [31, 32, 33, 34]) {
    it(`seed ${seed}: same state and taker on every phone`, () => {
      const { views, network, applied } = runConvergence({ ...aidRun, seed, steps: 800 })
      for (const [name, times] of Object.entries(applied)) expect(times, name).toBeGreaterThan(0)
      expect(views[0]!.some((r) => r.state === 'closed' || r.state === 'done')).toBe(true)
      compare(views, network)
    })
  }
  convergenceProperty('any schedule: same state and one taker everywhere', aidRun)
})
