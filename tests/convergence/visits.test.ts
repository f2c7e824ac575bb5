import { describe, expect, it } from 'vitest'
import { dueOf, monthReport, type HouseholdDraft, type Outcome } from '../../src/domain/visits'
import { endHousehold, followUp, logVisit, readVisitData, saveHousehold } from '../../src/store/visits'
import { readAidData } from '../../src/store/aid'
import { compare, convergenceProperty, convergenceRun, pick, runConvergence, type Phone } from './harness'

// Staff on five phones link households, change who visits them and how often, and
// end them; visitors log visits (some needing help, some urgent) and staff follow up,
// over links that fail. Every phone must end with the same households, the same
// visits, the same due list and the same month's report.

const TODAY = '2026-11-27'
const DAYS = ['2026-10-28', '2026-11-05', '2026-11-19', '2026-11-26', '2026-11-27']
const OUTCOMES: Outcome[] = ['well', 'well', 'help', 'urgent']
const personOn = (phone: Phone, random: () => number) => ({ id: `p${phone.index}v${Math.floor(random() * 2)}`, name: `走访员 ${phone.index}` })
const draft = (phone: Phone, random: () => number): HouseholdDraft => {
  const visitor = personOn(phone, random)
  return { grid: pick(random, ['1号楼', '2号楼', '西院']), label: `住户${Math.floor(random() * 100)}`, elderCode: '', building: '', unit: '', room: '', phone: '', reason: 'alone', every: pick(random, ['week', 'fortnight', 'month'] as const), visitorId: visitor.id, visitorName: visitor.name }
}
const householdsOn = (phone: Phone) => readVisitData(phone.docs).households

const visitRun = convergenceRun({
  phones: 5,
  modifications: {
    link: [12, (phone, random) => void saveHousehold(phone.docs, phone.clock, draft(phone, random), pick(random, DAYS))],
    edit: [10, (phone, random) => {
      const households = householdsOn(phone)
      if (households.length === 0) return false
      saveHousehold(phone.docs, phone.clock, draft(phone, random), TODAY, pick(random, households).id)
    }],
    end: [3, (phone, random) => {
      const households = householdsOn(phone).filter((h) => !h.ended)
      if (households.length === 0) return false
      endHousehold(phone.docs, phone.clock, pick(random, households).id)
    }],
    log: [40, (phone, random) => {
      const households = householdsOn(phone).filter((h) => !h.ended)
      if (households.length === 0) return false
      const outcome = pick(random, OUTCOMES)
      logVisit(phone.docs, phone.docs, phone.clock, pick(random, households).id, outcome, outcome === 'well' ? '' : '需要帮忙', personOn(phone, random), pick(random, DAYS))
    }],
    followUp: [8, (phone, random) => {
      const urgent = readVisitData(phone.docs).visits.filter((v) => v.outcome === 'urgent')
      if (urgent.length === 0) return false
      followUp(phone.docs, phone.clock, pick(random, urgent).id, personOn(phone, random))
    }],
  },
  view(phone) {
    const { households, visits, followUps } = readVisitData(phone.docs)
    return {
      households: households.map((h) => `${h.id}:${h.visitorId}:${h.every}:${h.ended}`).sort(),
      visits: visits.map((v) => `${v.id}:${v.outcome}`).sort(),
      followedUp: [...followUps.keys()].sort(),
      due: households.filter((h) => !h.ended).map((h) => `${h.id}:${dueOf(h, visits, TODAY).status}`).sort(),
      report: monthReport(households, visits, '2026-11', TODAY),
      requests: readAidData(phone.docs).requests.length,
    }
  },
  invariant(view, _phone, settled) {
    // Each "needs help" visit opened one help request (they travel in different docs, so only once all has arrived).
    if (settled) expect(view.requests).toBe(view.visits.filter((v) => v.endsWith(':help')).length)
  },
})

describe('household visits converge', () => {
  for (const seed of [31, 32, 33]) {
    it(`seed ${seed}: the same households, visits, due list and report everywhere`, () => {
      const { views, network, applied } = runConvergence({ ...visitRun, seed, steps: 300 })
      for (const [name, times] of Object.entries(applied)) expect(times, name).toBeGreaterThan(0)
      expect(views[0]!.visits.length).toBeGreaterThan(10)
      compare(views, network)
    })
  }
  convergenceProperty('any schedule: the same visits and report everywhere', visitRun)
})
