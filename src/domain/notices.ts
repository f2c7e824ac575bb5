import * as v from 'valibot'
import { IdSchema } from './ids'
import { StampSchema } from './hlc'
import { checked, checkText, type Checked, type Problems } from './validation'

// Community notices (社区公告): staff post short news that residents read on Today.
// A notice is withdrawn, never deleted. The withdrawal is its own entry, not a flag
// on the notice, so an edit made at the same moment on another phone cannot undo it.

export const NOTICE_TITLE_MAX = 60
export const NOTICE_BODY_MAX = 1000

export const NoticeSchema = v.object({
  id: IdSchema,
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(NOTICE_TITLE_MAX)),
  body: v.pipe(v.string(), v.maxLength(NOTICE_BODY_MAX)),
  authorId: v.string(),
  authorName: v.string(),
  postedAt: StampSchema,
  editedAt: StampSchema,
})
export type Notice = v.InferOutput<typeof NoticeSchema>

export const NoticeWithdrawalSchema = v.object({
  id: IdSchema,
  byId: v.string(),
  stamp: StampSchema,
})
export type NoticeWithdrawal = v.InferOutput<typeof NoticeWithdrawalSchema>

export interface NoticeDraft {
  title: string
  body: string
}

export function checkNoticeDraft(draft: NoticeDraft): Checked<NoticeDraft, 'title' | 'body'> {
  const problems: Problems<'title' | 'body'> = {}
  checkText(problems, 'title', draft.title, { required: true, max: NOTICE_TITLE_MAX })
  checkText(problems, 'body', draft.body, { required: false, max: NOTICE_BODY_MAX })
  return checked({ title: draft.title.trim(), body: draft.body.trim() }, problems)
}

/** Newest first; what staff withdrew is not shown. Edits keep the notice's place. */
export function visibleNotices(notices: readonly Notice[], withdrawn: ReadonlySet<string>): Notice[] {
  return notices.filter((n) => !withdrawn.has(n.id)).sort((a, b) => (a.postedAt < b.postedAt ? 1 : a.postedAt > b.postedAt ? -1 : a.id < b.id ? 1 : -1))
}
