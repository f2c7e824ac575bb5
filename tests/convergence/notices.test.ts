import { createRoot } from 'solid-js'
import { describe, expect, it } from 'vitest'
import { NoticeSchema, NoticeWithdrawalSchema, visibleNotices } from '../../src/domain/notices'
import { readCollection } from '../../src/store/collection'
import { publicSpace } from '../../src/store/layout'
import { publishMember } from '../../src/store/members'
import { editNotice, liveNoticeData, postNotice, withdrawNotice, type LiveNoticeData } from '../../src/store/notices'
import { MemberSchema } from '../../src/domain/members'
import { compare, convergenceProperty, convergenceRun, pick, runConvergence, type Modifications, type Phone } from './harness'

// Store-level convergence: notices posted, edited and withdrawn on five phones,
// in random merge orders. Every phone must end with the same notice board, read
// both straight from the Y.Doc and through the live Solid bridge a screen uses.

function boardFromDoc(phone: Phone) {
  const layout = publicSpace(phone.docs)
  const notices = [...readCollection(layout.notices, NoticeSchema).records.values()]
  const withdrawn = new Set(readCollection(layout.noticeWithdrawals, NoticeWithdrawalSchema).records.keys())
  return visibleNotices(notices, withdrawn).map((n) => ({ id: n.id, title: n.title, body: n.body }))
}

const noticeIds = (phone: Phone) => [...readCollection(publicSpace(phone.docs).notices, NoticeSchema).records.keys()]
const authorOn = (phone: Phone) => ({ id: phone.deviceId, name: `phone ${phone.index}` })
const membersOf = (phone: Phone) => [...readCollection(publicSpace(phone.docs).members, MemberSchema).records.entries()].sort()

/** The notice changes, noting each notice ever withdrawn (which must stay withdrawn once all has arrived). */
function noticeChanges(everWithdrawn: Set<string>): Modifications {
  return {
    post: [40, (phone, random) => {
      expect(postNotice(phone.docs, phone.clock, authorOn(phone), { title: `notice ${Math.floor(random() * 1e6)}`, body: '' }).ok).toBe(true)
    }],
    edit: [35, (phone, random) => {
      const ids = noticeIds(phone)
      if (ids.length === 0) return false
      editNotice(phone.docs, phone.clock, pick(random, ids), { title: `edited ${Math.floor(random() * 1e6)}`, body: 'changed' })
    }],
    withdraw: [15, (phone, random) => {
      const ids = noticeIds(phone)
      if (ids.length === 0) return false
      const id = pick(random, ids)
      withdrawNotice(phone.docs, phone.clock, authorOn(phone), id)
      everWithdrawn.add(id)
    }],
    announceMember: [10, (phone, random) => {
      publishMember(phone.docs, phone.clock, `name ${Math.floor(random() * 100)}`, 'volunteer')
    }],
  }
}

describe('notices converge', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: every phone shows the same board, withdrawn stays withdrawn`, () => {
      createRoot((dispose) => {
        const everWithdrawn = new Set<string>()
        const live = new Map<number, LiveNoticeData>()
        const liveFor = (phone: Phone) => {
          let views = live.get(phone.index)
          if (!views) live.set(phone.index, (views = liveNoticeData(phone.docs, phone.clock)))
          return views
        }

        const { views, network, applied } = runConvergence({
          seed,
          phones: 5,
          steps: 400,
          modifications: noticeChanges(everWithdrawn),
          view(phone) {
            const fromDoc = boardFromDoc(phone)
            // The live bridge must agree with a fresh read of the document.
            const views = liveFor(phone)
            const withdrawn = new Set(views.withdrawals.ids())
            const fromLive = visibleNotices(views.notices.ids().map((id) => views.notices.byId[id]!), withdrawn).map((n) => ({ id: n.id, title: n.title, body: n.body }))
            expect(fromLive).toEqual(fromDoc)
            return { board: fromDoc, members: membersOf(phone) }
          },
          invariant(view) {
            for (const notice of view.board) expect(everWithdrawn.has(notice.id)).toBe(false)
          },
        })

        for (const [name, times] of Object.entries(applied)) expect(times, name).toBeGreaterThan(0)
        expect(network.delivered).toBeGreaterThan(100)
        expect(network.dropped).toBeGreaterThan(0)
        expect(views[0]!.board.length).toBeGreaterThan(0)
        compare(views, network)
        dispose()
      })
    })
  }

  // The same changes, read straight from the docs, over many short random schedules.
  // "Withdrawn" is checked once everything has arrived: before that even the phone
  // that withdrew a notice may show it again for a while. When two phones withdraw
  // the same notice and the second one's withdrawal arrives before the changes it
  // follows, Yjs applies its removal of the first withdrawal at once and holds the
  // second back until the rest arrives (fast-check found this).
  convergenceProperty('any schedule: the same board and members everywhere, withdrawn stays withdrawn', () => {
    const everWithdrawn = new Set<string>()
    return convergenceRun({
      phones: 5,
      modifications: noticeChanges(everWithdrawn),
      view: (phone) => ({ board: boardFromDoc(phone), members: membersOf(phone) }),
      invariant(view, _phone, settled) {
        if (settled) for (const notice of view.board) expect(everWithdrawn.has(notice.id)).toBe(false)
      },
    })
  })
})
