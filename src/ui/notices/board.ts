import { createMemo } from 'solid-js'
import { visibleNotices } from '../../domain/notices'
import type { CommunitySession } from '../../session'

// The notices every device shows, newest first, without those withdrawn. Posting
// and withdrawing are staff commands (the staff board's `notices`).

export function createNoticeBoard(session: CommunitySession) {
  const data = session.notices
  const withdrawn = createMemo(() => new Set(data.withdrawals.ids()))
  // Order changes only when notices come or go; each row reads its own record.
  const ids = createMemo(() => {
    const present = data.notices.ids().map((id) => data.notices.byId[id]!).filter(Boolean)
    return visibleNotices(present, withdrawn()).map((n) => n.id)
  })
  return {
    ids,
    noticeOf: (id: string) => data.notices.byId[id],
  }
}
export type NoticeBoard = ReturnType<typeof createNoticeBoard>
