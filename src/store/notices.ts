import type { SpaceDoc } from './space-doc'
import type { HybridClock } from '../domain/hlc'
import { newId } from '../domain/ids'
import { checkNoticeDraft, NoticeSchema, NoticeWithdrawalSchema, type Notice, type NoticeDraft, type NoticeWithdrawal } from '../domain/notices'
import type { Checked } from '../domain/validation'
import { putRecord, readRecord } from './collection'
import { publicSpace } from './layout'
import { liveCollection } from './reactive'
import type { Person } from '../domain/actor'


export function postNotice(doc: SpaceDoc, clock: HybridClock, author: Person, draft: NoticeDraft): Checked<Notice> {
  const check = checkNoticeDraft(draft)
  if (!check.ok) return check
  const stamp = clock.tick()
  const notice: Notice = {
    id: newId(),
    ...check.value,
    authorId: author.id,
    authorName: author.name,
    postedAt: stamp,
    editedAt: stamp,
  }
  doc.transact(() => putRecord(publicSpace(doc).notices, notice.id, notice))
  return { ok: true, value: notice }
}

function currentNotice(doc: SpaceDoc, id: string): Notice | null {
  const notices = publicSpace(doc).notices
  return readRecord(NoticeSchema, id, notices.get(id))
}

export function editNotice(doc: SpaceDoc, clock: HybridClock, id: string, draft: NoticeDraft): Checked<Notice> {
  const check = checkNoticeDraft(draft)
  if (!check.ok) return check
  const notice = currentNotice(doc, id)
  if (!notice) return { ok: false, problems: { notice: 'problem.notFound' } }
  const edited: Notice = { ...notice, ...check.value, editedAt: clock.tick() }
  doc.transact(() => putRecord(publicSpace(doc).notices, id, edited))
  return { ok: true, value: edited }
}

export function withdrawNotice(doc: SpaceDoc, clock: HybridClock, by: Person, id: string): Checked<NoticeWithdrawal> {
  if (!currentNotice(doc, id)) return { ok: false, problems: { notice: 'problem.notFound' } }
  const withdrawal: NoticeWithdrawal = { id, byId: by.id, stamp: clock.tick() }
  doc.transact(() => putRecord(publicSpace(doc).noticeWithdrawals, id, withdrawal))
  return { ok: true, value: withdrawal }
}

/** The live collections the notice screens read. */
export function liveNoticeData(doc: SpaceDoc, clock: HybridClock) {
  const layout = publicSpace(doc)
  return {
    notices: liveCollection(layout.notices, NoticeSchema, (n) => clock.receive(n.editedAt)),
    withdrawals: liveCollection(layout.noticeWithdrawals, NoticeWithdrawalSchema, (w) => clock.receive(w.stamp)),
  }
}
export type LiveNoticeData = ReturnType<typeof liveNoticeData>
