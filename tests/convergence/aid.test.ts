import { describe, expect, it } from 'vitest'
import { AID_EVENTS, deriveStatus } from '../../src/domain/aid'
import { postRequest, readAidData, step } from '../../src/store/aid'
import { convergenceProperty, convergenceRun, pick, runConvergence, type Phone } from './harness'

// Concurrent takes, dispatches, withdrawals, completions and confirmations on five
// phones. Afterwards every phone shows the same state and the same single taker
// for every request, and between two reopenings only one take ever counted.

const TODAY = '2026-11-23'
const isStaff = (id: string) => id === 'phone0'

function board(phone: Phone) {
  const data = readAidData(phone.doc)
  return data.requests
    .map((r) => ({ r, s: deriveStatus(r, data.events, isStaff) }))
    .sort((a, b) => (a.r.id < b.r.id ? -1 : 1))
    .map(({ r, s }) => ({ id: r.id, state: s.state, taker: s.taker?.id ?? null, applied: s.history.filter((h) => h.applied).map((h) => h.event.type) }))
}

const aidRun = convergenceRun({
  phones: 5,
  command(phone, random) {
    const me = { id: phone.deviceId, name: `p${phone.index}` }
    const data = readAidData(phone.doc)
    if (random() < 0.1 || data.requests.length === 0) {
      postRequest(phone.doc, phone.clock, me, { kind: 'need', category: 'errand', title: '帮忙', details: '', when: '', where: '', urgency: 'normal', forName: '', materials: [], due: '' }, TODAY)
      return
    }
    const request = pick(random, data.requests)
    const type = pick(random, AID_EVENTS)
    const volunteer = { id: `phone${Math.floor(random() * 5)}`, name: 'v' }
    step(phone.doc, phone.clock, request.id, type, me, { volunteer, stars: 1 + Math.floor(random() * 5), note: 'n' }, isStaff)
  },
  view: board,
  invariant(view) {
    for (const r of view) {
      if (r.state === 'open' || r.state === 'withdrawn') expect(r.taker).toBeNull()
      else expect(r.taker).not.toBeNull()
      // Between reopenings, only one take or dispatch ever counts.
      let takesSinceOpen = 0
      for (const type of r.applied) {
        if (type === 'notDone') takesSinceOpen = 0
        if (type === 'take' || type === 'dispatch') takesSinceOpen++
        expect(takesSinceOpen).toBeLessThanOrEqual(1)
      }
    }
  },
})

describe('mutual aid converges with a single taker', () => {
  for (const seed of [31, 32, 33, 34]) {
    it(`seed ${seed}: same state and taker on every phone`, () => {
      const { views } = runConvergence({ ...aidRun, seed, steps: 400 })
      expect(views[0]!.some((r) => r.state === 'closed' || r.state === 'done')).toBe(true)
      for (const view of views) expect(view).toEqual(views[0])
    })
  }
  convergenceProperty('any schedule: same state and one taker everywhere', aidRun)
})
