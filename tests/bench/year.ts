import { addDays, format } from 'date-fns'
import { HybridClock } from '../../src/domain/hlc'
import { monthOf, type Day } from '../../src/domain/calendar'
import { SpaceDocs } from '../../src/store/space-docs'
import { ACTIVITY_CATEGORIES } from '../../src/domain/activities'
import { SHIFT_CATEGORIES } from '../../src/domain/shifts'
import { AID_CATEGORIES, URGENCIES } from '../../src/domain/aid'
import { MEALS, type Meal } from '../../src/domain/canteen'
import type { Checked } from '../../src/domain/validation'
import type { Person } from '../../src/store/places'
import { publishMember } from '../../src/store/members'
import { postNotice } from '../../src/store/notices'
import { cancelShift, markAttendance, publishShift, signUp, withdraw } from '../../src/store/shifts'
import { cancelActivity, cancelRsvp, publishActivity, publishGroup, rate, recordHeadcount, rsvp } from '../../src/store/activities'
import { postRequest, step, editRequest } from '../../src/store/aid'
import { addElder, cancelReservation, publishMenu, reserve, setStandingOrder } from '../../src/store/canteen'
import { fakeTag, FAKE_SEALED } from '../canteen-fake'

// A community year built the way people build it: every record comes from the
// app's own store commands, day by day, on a simulated clock. A seed makes the
// same year every time; the scale multiplies how much happens each day.
//
// At 1×: 300 elders with ~200 meal reservations a day over three menus, 10 shifts
// a day with 3 sign-ups each, 20 activities a week with 15 RSVPs each, 5 help
// requests a day through their whole lifecycle, and the edits a real year has.

export interface Year {
  publicDoc: SpaceDocs
  staffDoc: SpaceDocs
  /** The first and last day of the year. */
  first: Day
  last: Day
  /** Commands run, and how many the rules refused (a generator bug if many). */
  commands: number
  refused: number
  refusedWhy: Record<string, number>
}

/** A small seeded random generator (mulberry32), so a year is the same every run. */
export function seeded(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    /** `count` different items. */
    some: <T>(items: readonly T[], count: number): T[] => {
      const copy = [...items]
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
      }
      return copy.slice(0, count)
    },
  }
}

const DISHES = ['红烧肉', '清蒸鱼', '番茄炒蛋', '青菜豆腐', '冬瓜汤', '小米粥', '馒头', '包子', '炒面', '蒸南瓜', '土豆丝', '紫菜蛋汤']
const FIRST = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
const GIVEN = ['建国', '秀英', '桂兰', '志强', '丽华', '玉珍', '国庆', '淑芬', '德明', '海燕', '文', '静']

/** Builds the 364 days from `firstMonday` on; `hooks` see each space's docs and run after each command (the benchmark signs there). */
export function buildYear(scale: number, seed: number, firstMonday: Date, hooks: { onDocs?: (docs: SpaceDocs, space: 'public' | 'staff') => void; afterCommand?: () => void } = {}): Year {
  const random = seeded(seed)
  const publicDoc = new SpaceDocs()
  const staffDoc = new SpaceDocs()
  hooks.onDocs?.(publicDoc, 'public')
  hooks.onDocs?.(staffDoc, 'staff')
  const firstDate = new Date(firstMonday.getFullYear(), firstMonday.getMonth(), firstMonday.getDate(), 8, 0)
  let simNow = firstDate.getTime()
  // What is done ahead of time is stamped before the real now (a stamp over a day ahead of
  // a reader's clock is refused as forged): the year's simulated time is squeezed to end
  // by the time it is built, keeping every stamp's order.
  const builtAt = Date.now() - 60_000
  const yearEnd = firstDate.getTime() + 400 * 24 * 3600_000 // the year, and the time its commands take
  const squeeze = Math.min(1, (builtAt - firstDate.getTime()) / (yearEnd - firstDate.getTime()))
  const wallAt = (sim: number) => Math.round(firstDate.getTime() + (sim - firstDate.getTime()) * squeeze)
  const dayOf = (date: Date) => format(date, 'yyyy-MM-dd') as Day
  let commands = 0
  let refused = 0
  const refusedWhy: Record<string, number> = {}
  const run = <T>(result: Checked<T>): T | null => {
    commands++
    hooks.afterCommand?.()
    if (!result.ok) {
      refused++
      const why = JSON.stringify(result.problems)
      refusedWhy[why] = (refusedWhy[why] ?? 0) + 1
      return null
    }
    return result.value
  }

  // People: a few staff, volunteers, residents with phones. Each has a device clock.
  const clocks = new Map<string, HybridClock>()
  const clockOf = (p: Person) => {
    let clock = clocks.get(p.id)
    if (!clock) clocks.set(p.id, (clock = new HybridClock(p.id, () => wallAt((simNow += 1000 + random.int(20_000))))))
    return clock
  }
  const name = () => random.pick([...FIRST]) + random.pick(GIVEN)
  const people = (prefix: string, count: number): Person[] =>
    Array.from({ length: count }, (_, i) => ({ id: `${prefix}${String(i).padStart(5, '0')}dev`.padEnd(20, 'x'), name: name() }))
  const staff = people('s', Math.max(2, Math.round(4 * scale)))
  const volunteers = people('v', Math.round(80 * scale))
  const residents = people('r', Math.round(400 * scale))
  for (const p of staff) publishMember(publicDoc, clockOf(p), p.name, 'staff')
  for (const p of [...volunteers, ...residents]) publishMember(publicDoc, clockOf(p), p.name, 'resident')
  const isStaff = (id: string) => staff.some((s) => s.id === id)

  const office = staff[0]!
  const elders: string[] = []
  for (let i = 0; i < Math.round(300 * scale); i++) {
    const elder = run(
      addElder(staffDoc, clockOf(office), {
        name: name(), building: `${1 + random.int(20)}栋`, unit: `${1 + random.int(6)}0${1 + random.int(4)}`,
        phone: `139${String(random.int(1e8)).padStart(8, '0')}`, emergencyName: name(), emergencyPhone: `138${String(random.int(1e8)).padStart(8, '0')}`,
        diets: random.chance(0.3) ? [random.pick(['lowSalt', 'diabetic', 'soft'] as const)] : [], allergies: '',
        tier: random.pick(['standard', 'standard', 'dibao', 'tekun'] as const), service: random.chance(0.3) ? 'delivery' : 'eatIn', deliveryNote: '',
      }),
    )
    if (elder) elders.push(elder.id)
  }
  // A third of the elders have a standing lunch on weekdays, set at the start.
  const startDay = dayOf(firstDate)
  for (const code of random.some(elders, Math.round(elders.length / 3))) {
    run(setStandingOrder(publicDoc, clockOf(office), { tag: fakeTag(code, 'lunch'), meal: 'lunch', weekdays: [1, 2, 3, 4, 5], mode: 'eatIn', count: 1 }, FAKE_SEALED, office, startDay, '07:00'))
  }
  const groups = Array.from({ length: Math.max(3, Math.round(12 * scale)) }, (_, i) =>
    run(publishGroup(publicDoc, clockOf(office), office, {
      name: `兴趣小组 ${i + 1}`, category: ACTIVITY_CATEGORIES[i % ACTIVITY_CATEGORIES.length]!, description: '每周活动，欢迎邻居参加。',
      meetingPlace: '活动室', meetingTime: '周三下午', contact: office.name,
    }))!.id,
  )

  const perDay = (n: number) => Math.max(1, Math.round(n * scale))
  const openRequests: { id: string; by: Person; taker?: Person; stage: number }[] = []
  for (let d = 0; d < 364; d++) {
    const date = addDays(firstDate, d)
    const day = dayOf(date)
    const yesterday = dayOf(addDays(date, -1))
    simNow = Math.max(simNow, date.getTime() - 14 * 3600_000) // the evening before
    const staffer = random.pick(staff)

    // On Sundays, staff plan the coming week: menus, shifts, activities.
    if (date.getDay() === 1 || d === 0) {
      for (let w = 0; w < 7; w++) {
        const planned = dayOf(addDays(date, w))
        for (const meal of MEALS) {
          run(publishMenu(publicDoc, clockOf(staffer), staffer, {
            day: planned, meal, dishes: random.some(DISHES, 3 + random.int(3)), seats: meal === 'lunch' ? Math.round(180 * scale) : Math.round(60 * scale),
            cutoff: meal === 'breakfast' ? '06:00' : meal === 'lunch' ? '09:30' : '15:00', delivery: meal !== 'breakfast',
          }, yesterday))
        }
        for (let s = 0; s < perDay(10); s++) {
          run(publishShift(publicDoc, clockOf(staffer), staffer, {
            title: random.pick(['送餐', '食堂帮厨', '活动签到', '理发义剪', '巡楼探访']), category: random.pick(SHIFT_CATEGORIES),
            place: '社区中心', date: planned, start: `${String(8 + (s % 8)).padStart(2, '0')}:00`, end: `${String(9 + (s % 8)).padStart(2, '0')}:30`,
            places: 3, notes: '', skill: '',
          }, yesterday))
        }
      }
      for (let a = 0; a < perDay(20); a++) {
        const planned = dayOf(addDays(date, a % 7))
        run(publishActivity(publicDoc, clockOf(staffer), staffer, {
          title: `活动 ${d}-${a}`, groupId: random.chance(0.7) ? random.pick(groups) : null, category: random.pick(ACTIVITY_CATEGORIES), place: '多功能厅',
          date: planned, start: '14:00', end: '16:00', description: '请提前十分钟到场。', capacity: random.chance(0.5) ? 20 : null, leader: random.pick(volunteers).name,
        }, yesterday))
      }
    }
    const { shifts, activities } = todaysRecords(publicDoc, day)

    // Meals: ~200 reservations a day (most for lunch), some on behalf, a few changed or cancelled.
    for (let r = 0; r < perDay(200); r++) {
      const meal: Meal = random.pick(['breakfast', 'lunch', 'lunch', 'lunch', 'dinner'])
      const code = random.pick(elders)
      const onBehalf = random.chance(0.4)
      const by = onBehalf ? staffer : random.pick(residents)
      // Sealed parts of the real size, made without the slow card key (tests/canteen-fake.ts).
      run(reserve(publicDoc, clockOf(by), { tag: fakeTag(code, meal), day, meal, mode: meal !== 'breakfast' && random.chance(0.2) ? 'delivery' : 'eatIn', count: 1 + (random.chance(0.1) ? 1 : 0) }, FAKE_SEALED, by, onBehalf, yesterday, '20:00'))
      if (random.chance(0.05)) run(cancelReservation(publicDoc, clockOf(by), fakeTag(code, meal), day, meal, FAKE_SEALED, by, yesterday, '21:00'))
    }

    // Shifts: three sign-ups each, one in ten withdrawn, attendance after the day.
    for (const shift of shifts) {
      const signed = random.some(volunteers, 3)
      for (const v of signed) run(signUp(publicDoc, clockOf(v), shift.id, v, v))
      if (random.chance(0.1)) run(withdraw(publicDoc, clockOf(signed[0]!), shift.id, signed[0]!.id, signed[0]!))
      if (random.chance(0.01)) run(cancelShift(publicDoc, clockOf(staffer), staffer, shift.id, '天气原因'))
      else for (const v of signed.slice(1)) run(markAttendance(publicDoc, clockOf(staffer), shift.id, v.id, 'attended', staffer, day))
    }

    // Activities: 15 RSVPs, a few cancelled, a headcount and some ratings.
    for (const activity of activities) {
      const going = random.some(residents, 15)
      for (const p of going) run(rsvp(publicDoc, clockOf(p), activity.id, p, p))
      if (random.chance(0.1)) run(cancelRsvp(publicDoc, clockOf(going[0]!), activity.id, going[0]!.id, going[0]!))
      if (random.chance(0.02)) {
        run(cancelActivity(publicDoc, clockOf(staffer), staffer, activity.id, '场地维修'))
        continue
      }
      run(recordHeadcount(publicDoc, clockOf(staffer), activity.id, 10 + random.int(10), staffer, day))
      for (const p of going.slice(1, 4)) run(rate(publicDoc, clockOf(p), activity.id, p, 3 + random.int(3), '很好', day, '17:00'))
    }

    // Mutual aid: five new requests a day; open ones move one step a day.
    for (const request of openRequests.splice(0)) {
      const { id, by } = request
      if (request.stage === 0) {
        const taker = random.pick(volunteers)
        if (random.chance(0.2)) run(step(publicDoc, clockOf(staffer), id, 'dispatch', staffer, { volunteer: taker }, isStaff))
        else run(step(publicDoc, clockOf(taker), id, 'take', taker, {}, isStaff))
        openRequests.push({ ...request, taker, stage: 1 })
      } else if (request.stage === 1) {
        run(step(publicDoc, clockOf(request.taker!), id, 'done', request.taker!, { note: '已完成' }, isStaff))
        openRequests.push({ ...request, stage: 2 })
      } else {
        run(step(publicDoc, clockOf(by), id, 'confirm', by, { stars: 4 + random.int(2), note: '谢谢' }, isStaff))
      }
    }
    for (let q = 0; q < perDay(5); q++) {
      const by = random.pick(residents)
      const category = random.pick(AID_CATEGORIES)
      const draft = {
        kind: random.chance(0.8) ? ('need' as const) : ('offer' as const), category, title: `${category} 求助 ${d}-${q}`, details: '楼下有台阶，请帮忙。',
        when: '明天上午', where: `${1 + random.int(20)}栋`, urgency: random.pick(URGENCIES), forName: '', materials: category === 'paperwork' ? ['身份证'] : [], due: '',
      }
      const request = run(postRequest(publicDoc, clockOf(by), by, draft, day))
      if (!request) continue
      if (random.chance(0.1)) run(editRequest(publicDoc, clockOf(by), by, request.id, { ...draft, details: '改时间：后天上午。' }, day, isStaff))
      if (random.chance(0.05)) run(step(publicDoc, clockOf(by), request.id, 'withdraw', by, {}, isStaff))
      else openRequests.push({ id: request.id, by, stage: 0 })
    }
    if (date.getDay() === 1) run(postNotice(publicDoc, clockOf(staffer), staffer, { title: `本周通知 ${d}`, body: '本周五下午社区中心停水，请提前准备。' }))
  }
  const last = dayOf(addDays(firstDate, 363))
  return { publicDoc, staffDoc, first: startDay, last, commands, refused, refusedWhy }
}

/** The day's shifts and activities, as a phone would look them up (ids only, from the day's month). */
function todaysRecords(space: SpaceDocs, day: Day) {
  const shifts: { id: string }[] = []
  const activities: { id: string }[] = []
  const month = space.get(monthOf(day))
  month?.getMap<{ id: string; date: string }>('shifts').forEach((s) => s.date === day && shifts.push(s))
  month?.getMap<{ id: string; date: string }>('activities').forEach((a) => a.date === day && activities.push(a))
  return { shifts, activities }
}
