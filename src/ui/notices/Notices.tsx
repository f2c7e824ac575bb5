import { createSignal, For, Show } from 'solid-js'
import type { NoticeDraft } from '../../domain/notices'
import type { Problems } from '../../domain/validation'
import { Button, Card, Confirm, Field, SavingMark } from '../common/components'
import { StaffOnly, useToday, useStaff } from '../common/community'
import { hasDraft, restoreDraft } from '../common/drafts'
import { problemText, t } from '../common/i18n'

const NOTICE_PAGE = 10

/** The community's notices on Today, newest first; staff post and withdraw them here. */
export function Notices() {
  const { notices, actor } = useToday()
  // The newest first, a page at a time: years of notices would otherwise all be laid
  // out before Today could scroll.
  const [shown, setShown] = createSignal(NOTICE_PAGE)
  return (
    <Card title={t('today.notices')}>
      <StaffOnly glance={<Button class="mb-3" data-testid="compose-notice">{t('today.postNotice')}</Button>}>
        <NoticeForm />
      </StaffOnly>
      <Show when={notices.ids().length > 0} fallback={<p class="text-stone-700">{actor().staff ? t('today.noNoticesStaff') : t('today.noNotices')}</p>}>
        <ul class="divide-y divide-stone-200" data-testid="notice-list">
          <For each={notices.ids().slice(0, shown())}>{(id) => <NoticeItem id={id} />}</For>
        </ul>
        <Show when={notices.ids().length > shown()}>
          <Button variant="secondary" class="mt-2" data-testid="more-notices" onClick={() => setShown(shown() + NOTICE_PAGE)}>
            {t('today.moreNotices', { count: notices.ids().length - shown() })}
          </Button>
        </Show>
      </Show>
    </Card>
  )
}

function NoticeItem(props: { id: string }) {
  const { notices } = useToday()
  return (
    <Show when={notices.noticeOf(props.id)}>
      {(n) => (
        <li class="py-3" data-testid="notice">
          <h3 class="text-lg font-bold text-stone-900">{n().title}<SavingMark collection="notices" id={props.id} /></h3>
          <Show when={n().body}>
            <p class="whitespace-pre-wrap text-stone-900">{n().body}</p>
          </Show>
          <div class="mt-1 flex items-center justify-between gap-2 text-[0.85em] text-stone-700">
            <span>{t('today.postedBy', { name: n().authorName || '—' })}</span>
            <StaffOnly glance={<Button variant="secondary">{t('today.withdraw')}</Button>}>
              <WithdrawNotice id={props.id} title={n().title} />
            </StaffOnly>
          </div>
        </li>
      )}
    </Show>
  )
}

function WithdrawNotice(props: { id: string; title: string }) {
  const staff = useStaff()
  const [confirming, setConfirming] = createSignal(false)
  return (
    <>
      <Button variant="secondary" onClick={() => setConfirming(true)}>
        {t('today.withdraw')}
      </Button>
      <Show when={confirming()}>
        <Confirm
          message={t('today.withdrawConfirm', { title: props.title })}
          confirmLabel={t('today.withdraw')}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            staff.notices.withdraw(props.id)
            setConfirming(false)
          }}
        />
      </Show>
    </>
  )
}

function NoticeForm() {
  const staff = useStaff()
  const [composing, setComposing] = createSignal(hasDraft('notice'))
  const [draft, setDraft] = createSignal<NoticeDraft>({ title: '', body: '' })
  const [problems, setProblems] = createSignal<Problems>({})
  const publish = (event: Event) => {
    event.preventDefault()
    const result = staff.notices.post(draft())
    if (!result.ok) return setProblems(result.problems)
    setProblems({})
    setDraft({ title: '', body: '' })
    setComposing(false)
  }
  return (
    <Show
      when={composing()}
      fallback={
        <Button class="mb-3" data-testid="compose-notice" onClick={() => setComposing(true)}>
          {t('today.postNotice')}
        </Button>
      }
    >
      <form onSubmit={publish} class="mb-4 rounded-xl bg-amber-50 p-3" data-testid="notice-form" data-draft="notice" ref={restoreDraft}>
        <Field label={t('today.noticeTitle')} name="title" value={draft().title} problem={problemText(problems().title)} onInput={(title) => setDraft({ ...draft(), title })} />
        <Field label={t('today.noticeBody')} name="body" multiline value={draft().body} problem={problemText(problems().body)} onInput={(body) => setDraft({ ...draft(), body })} />
        <div class="flex gap-3">
          <Button type="submit">{t('today.publish')}</Button>
          <Button variant="secondary" onClick={() => setComposing(false)}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Show>
  )
}
