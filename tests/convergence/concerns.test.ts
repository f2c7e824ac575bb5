import { describe, expect, it } from 'vitest'
import { allowedStep, CONCERN_CATEGORIES, CONCERN_STEPS, concernStatus, SATISFACTION, type ConcernStep } from '../../src/domain/concerns'
import { readCollection } from '../../src/store/collection'
import { ConcernEventSchema, ConcernSchema } from '../../src/domain/concerns'
import { publicSpace } from '../../src/store/layout'
import { concernStep, reportConcern } from '../../src/store/concerns'
import { compare, convergenceProperty, convergenceRun, pick, runConvergence, type Modification, type Phone } from './harness'

// Residents report concerns on three phones while two staff phones triage, pass up,
// answer and resolve them, often apart; reporters rate and reopen. Afterwards every
// phone shows the same state for every concern, and none was reopened twice.

const TODAY = '2026-11-23'
const STAFF = new Set(['phone0', 'phone1'])
const isStaff = (id: string) => STAFF.has(id)

function read(phone: Phone) {
  const space = publicSpace(phone.docs)
  return {
    concerns: [...readCollection(space.concerns, ConcernSchema).records.values()],
    events: [...readCollection(space.concernEvents, ConcernEventSchema).records.values()],
  }
}

function board(phone: Phone) {
  const { concerns, events } = read(phone)
  return concerns
    .map((c) => ({ c, s: concernStatus(c, events, isStaff) }))
    .sort((a, b) => (a.c.id < b.c.id ? -1 : 1))
    .map(({ c, s }) => ({ id: c.id, state: s.state, reopened: s.reopened, applied: s.history.filter((h) => h.applied).map((h) => h.event.type), rating: s.rating?.satisfaction ?? null }))
}

/** A step by this phone's person on a concern where this phone sees it allowed. */
const stepOf = (type: ConcernStep): Modification => (phone, random) => {
  const { concerns, events } = read(phone)
  const open = concerns.filter((c) => allowedStep(concernStatus(c, events, isStaff), { type, byId: phone.deviceId }, c, isStaff))
  if (open.length === 0) return false
  const input = { note: '已处理', to: '街道城管科', assignee: '王主任', due: '2026-12-01', solved: random() < 0.7, satisfaction: pick(random, SATISFACTION) }
  return concernStep(phone.docs, phone.clock, pick(random, open).id, type, { id: phone.deviceId, name: `p${phone.index}` }, input, isStaff, TODAY).ok
}

const concernRun = convergenceRun({
  phones: 5,
  modifications: {
    report: [12, (phone, random) => {
      reportConcern(phone.docs, phone.clock, { id: phone.deviceId, name: `p${phone.index}` }, { category: pick(random, CONCERN_CATEGORIES), what: '楼道灯坏了', where: '3号楼', source: 'app', forName: '' })
    }],
    ...Object.fromEntries(CONCERN_STEPS.map((type) => [type, [88 / CONCERN_STEPS.length, stepOf(type)] as const])),
  },
  view: board,
  invariant(view) {
    for (const c of view) {
      expect(c.reopened).toBeLessThanOrEqual(1)
      // A closed concern was rated; a withdrawn one was never taken up (a progress note aside).
      if (c.state === 'closed') expect(c.rating).not.toBeNull()
      if (c.state === 'withdrawn') expect(c.applied.filter((type) => type !== 'withdraw' && type !== 'note')).toEqual([])
    }
  },
})

describe('concerns converge across staff devices acting apart', () => {
  for (const seed of [41, 42, 43]) {
    it(`seed ${seed}: the same state on every phone`, () => {
      const { views, network, applied } = runConvergence({ ...concernRun, seed, steps: 400 })
      for (const [name, times] of Object.entries(applied)) expect(times, name).toBeGreaterThan(0)
      expect(views[0]!.some((c) => c.state === 'closed')).toBe(true)
      expect(views[0]!.some((c) => c.reopened === 1)).toBe(true)
      compare(views, network)
    })
  }
  convergenceProperty('any schedule: the same state everywhere, reopened at most once', concernRun)
})
