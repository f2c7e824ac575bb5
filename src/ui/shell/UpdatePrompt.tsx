import { Show } from 'solid-js'
import { useRegisterSW } from 'virtual:pwa-register/solid'
import { Button } from '../common/components'
import { keepDrafts } from '../common/drafts'
import { t } from '../common/i18n'

// A new version waits for the person to say "update", and what they were typing
// is kept across the reload (drafts.ts). Data is in IndexedDB either way.
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW()
  return (
    <Show when={needRefresh()}>
      <div role="status" data-testid="update-prompt" class="fixed inset-x-0 bottom-24 z-40 mx-auto flex max-w-md flex-wrap items-center gap-3 rounded-2xl bg-stone-900 p-4 text-white shadow-lg">
        <span class="grow">{t('update.available')}</span>
        <Button variant="secondary" onClick={() => setNeedRefresh(false)}>
          {t('update.later')}
        </Button>
        <Button data-testid="update-now" onClick={() => { keepDrafts(); void updateServiceWorker(true) }}>{t('update.now')}</Button>
      </div>
    </Show>
  )
}
