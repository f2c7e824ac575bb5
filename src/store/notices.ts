import type { SpaceDocs } from './space-docs'
import type { HybridClock } from '../domain/hlc'
import { newId } from '../domain/ids'
import { checkNoticeDraft, NoticeSchema, type Notice, type NoticeDraft, type NoticeWithdrawal } from '../domain/notices'
import type { Checked } from '../domain/validation'
import { readRecord, type Writer } from './collection'
import { publicSpace } from './layout'
import { liveOf } from './reactive'
import type { Person } from '../domain/actor'
import { feature } from './feature'

export function postNotice(docs: SpaceDocs, clock: HybridClock, author: Person, draft: NoticeDraft): Checked<Notice> {
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
  docs.transact(() => publicSpace(docs).notices.put(notice.id, notice))
  return { ok: true, value: notice }
}

function currentNotice(docs: SpaceDocs, id: string): Notice | null {
  const notices = publicSpace(docs).notices
  return readRecord(NoticeSchema, id, notices.get(id))
}

export function editNotice(docs: SpaceDocs, clock: HybridClock, id: string, draft: NoticeDraft): Checked<Notice> {
  const check = checkNoticeDraft(draft)
  if (!check.ok) return check
  const notice = currentNotice(docs, id)
  if (!notice) return { ok: false, problems: { notice: 'problem.notFound' } }
  const edited: Notice = { ...notice, ...check.value, editedAt: clock.tick() }
  docs.transact(() => publicSpace(docs).notices.put(id, edited))
  return { ok: true, value: edited }
}

export function withdrawNotice(docs: SpaceDocs, clock: HybridClock, by: Person, id: string): Checked<NoticeWithdrawal> {
  if (!currentNotice(docs, id)) return { ok: false, problems: { notice: 'problem.notFound' } }
  const withdrawal: NoticeWithdrawal = { id, byId: by.id, stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).noticeWithdrawals.put(id, withdrawal))
  return { ok: true, value: withdrawal }
}

/** Notices are posted by staff: only a staff device is given these. */
export const noticeCommands = ({ docs, clock, actor }: Writer) => ({
  post: (draft: NoticeDraft) => postNotice(docs, clock, actor(), draft),
  edit: (id: string, draft: NoticeDraft) => editNotice(docs, clock, id, draft),
  withdraw: (id: string) => withdrawNotice(docs, clock, actor(), id),
})

/** The live collections the notice screens read. */
export function liveNoticeData(docs: SpaceDocs, clock: HybridClock) {
  return {
    notices: liveOf(docs, 'notices', clock),
    withdrawals: liveOf(docs, 'noticeWithdrawals', clock),
  }
}
export type LiveNoticeData = ReturnType<typeof liveNoticeData>

export const noticesFeature = feature({
  live: ({ pub, clock }) => liveNoticeData(pub, clock),
  staffCommands: ({ pub }) => noticeCommands(pub),
})
