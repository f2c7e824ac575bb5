import { createMemo, createSignal, For, Show } from 'solid-js'
import { visibleNotices, type NoticeDraft } from '../../domain/notices'
import type { Problems } from '../../domain/validation'
import { postNotice, withdrawNotice } from '../../store/notices'
import type { CommunitySession } from '../../session'
import type { AppState } from '../common/app-state'
import { Button, Card, Confirm, Field } from '../common/components'
import { hasDraft, restoreDraft } from '../common/drafts'
import { problemText, t } from '../common/i18n'
import type { ShiftBoard } from '../shifts/board'
import { MyShifts } from '../shifts/MyShifts'
import type { Actor } from '../../domain/actor'
import type { ActivityBoard } from '../activities/board'
import { MyActivities } from '../activities/MyActivities'
import type { CanteenBoard } from '../canteen/board'
import { TodayMenu } from '../canteen/TodayMenu'

const NOTICE_PAGE = 10

export function Today(props: { app: AppState; session: CommunitySession; board: ShiftBoard; activities: ActivityBoard; canteen: CanteenBoard; me: Actor }) {
  const s = () => props.session
  const isStaff = () => s().membership.role === 'staff'
  const author = () => ({ id: props.app.device.deviceId, name: props.app.device.displayName })

  const withdrawn = createMemo(() => new Set(s().notices.withdrawals.ids()))
  // Order changes only when notices come or go; each row reads its own record.
  const noticeIds = createMemo(() => {
    const byId = s().notices.notices.byId
    const present = s().notices.notices.ids().map((id) => byId[id]!).filter(Boolean)
    return visibleNotices(present, withdrawn()).map((n) => n.id)
  })
  // The newest first, a page at a time: a board with years of notices would
  // otherwise lay out every one of them before Today could scroll.
  const [noticesShown, setNoticesShown] = createSignal(NOTICE_PAGE)

  const [composing, setComposing] = createSignal(hasDraft('notice'))
  const [draft, setDraft] = createSignal<NoticeDraft>({ title: '', body: '' })
  const [problems, setProblems] = createSignal<Problems>({})
  const [confirmWithdraw, setConfirmWithdraw] = createSignal<string | null>(null)

  const publish = (event: Event) => {
    event.preventDefault()
    const result = postNotice(s().publicSpace.doc, s().clock, author(), draft())
    if (!result.ok) return setProblems(result.problems)
    setProblems({})
    setDraft({ title: '', body: '' })
    setComposing(false)
  }

  return (
    <div class="space-y-4">
      <Show when={props.app.device.displayName}>
        <p class="text-2xl font-bold text-stone-900">{t('today.hello', { name: props.app.device.displayName })}</p>
      </Show>
      <Card title={t('today.notices')}>
        <Show when={isStaff()}>
          <Show
            when={composing()}
            fallback={
              <Button class="mb-3" data-testid="compose-notice" onClick={() => setComposing(true)}>
                {t('today.postNotice')}
              </Button>
            }
          >
            <form onSubmit={publish} class="mb-4 rounded-xl bg-amber-50 p-3" data-testid="notice-form" data-draft="notice" ref={restoreDraft}>
              <Field
                label={t('today.noticeTitle')}
                name="title"
                value={draft().title}
                problem={problemText(problems().title)}
                onInput={(title) => setDraft({ ...draft(), title })}
              />
              <Field
                label={t('today.noticeBody')}
                name="body"
                multiline
                value={draft().body}
                problem={problemText(problems().body)}
                onInput={(body) => setDraft({ ...draft(), body })}
              />
              <div class="flex gap-3">
                <Button type="submit">{t('today.publish')}</Button>
                <Button variant="secondary" onClick={() => setComposing(false)}>
                  {t('common.cancel')}
                </Button>
              </div>
            </form>
          </Show>
        </Show>
        <Show when={noticeIds().length > 0} fallback={<p class="text-stone-700">{isStaff() ? t('today.noNoticesStaff') : t('today.noNotices')}</p>}>
          <ul class="divide-y divide-stone-200" data-testid="notice-list">
            <For each={noticeIds().slice(0, noticesShown())}>
              {(id) => {
                const notice = () => s().notices.notices.byId[id]
                return (
                  <Show when={notice()}>
                    {(n) => (
                      <li class="py-3" data-testid="notice">
                        <h3 class="text-lg font-bold text-stone-900">{n().title}</h3>
                        <Show when={n().body}>
                          <p class="whitespace-pre-wrap text-stone-900">{n().body}</p>
                        </Show>
                        <div class="mt-1 flex items-center justify-between gap-2 text-[0.85em] text-stone-700">
                          <span>{t('today.postedBy', { name: n().authorName || '—' })}</span>
                          <Show when={isStaff()}>
                            <Button variant="secondary" onClick={() => setConfirmWithdraw(id)}>
                              {t('today.withdraw')}
                            </Button>
                          </Show>
                        </div>
                      </li>
                    )}
                  </Show>
                )
              }}
            </For>
          </ul>
          <Show when={noticeIds().length > noticesShown()}>
            <Button variant="secondary" class="mt-2" data-testid="more-notices" onClick={() => setNoticesShown(noticesShown() + NOTICE_PAGE)}>
              {t('today.moreNotices', { count: noticeIds().length - noticesShown() })}
            </Button>
          </Show>
        </Show>
      </Card>
      <TodayMenu board={props.canteen} />
      <MyShifts board={props.board} me={props.me} />
      <MyActivities board={props.activities} me={props.me} />
      <Show when={confirmWithdraw()}>
        {(id) => (
          <Confirm
            message={t('today.withdrawConfirm', { title: s().notices.notices.byId[id()]?.title ?? '' })}
            confirmLabel={t('today.withdraw')}
            onCancel={() => setConfirmWithdraw(null)}
            onConfirm={() => {
              withdrawNotice(s().publicSpace.doc, s().clock, author(), id())
              setConfirmWithdraw(null)
            }}
          />
        )}
      </Show>
    </div>
  )
}
